package org.attenuator.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots an embedded Felix with the bundles of the distribution's {@code bundle/} directory, waits
 * for the {@link CommandLine} service and hands it the process's arguments and standard streams.
 *
 * <p>Bundles are installed by reference (no copy) into a fresh, private framework cache per
 * process under Attenuator's home ({@link FrameworkCache}: {@code HOME/run/felix-N}, removed at the
 * end, or at the next start if this process was killed), so several commands (an agent and a
 * {@code run}) can run at once from one distribution.
 */
public final class Main {

    /** Packages of the class path that bundles share with the launcher: this bridge and SLF4J (logback behind it). */
    private static final List<String> SHARED_PACKAGES = List.of(
            "org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi");

    private static final long SERVICE_TIMEOUT_MS = 30_000;

    private Main() {
    }

    public static void main(String[] args) {
        try {
            DenyLogOption.checkConfigured(); // before the first logger: logback opens the file then
        } catch (IOException e) {
            System.err.println(Printable.of("attenuator: " + e.getMessage()));
            System.exit(2);
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        Path distribution = Path.of(System.getProperty("attenuator.distribution", "."));
        int status;
        FrameworkCache cache = null;
        Felix felix = null;
        StartupClock clock = new StartupClock(log);
        try {
            cache = FrameworkCache.forProcess(AttenuatorHome.resolve());
            clock.stage("framework cache");
            felix = new Felix(frameworkProperties(distribution, cache.path()));
            felix.init();
            clock.stage("framework init");
            installBundles(felix.getBundleContext(), distribution.resolve("bundle"));
            clock.stage("bundles installed");
            felix.start();
            clock.stage("framework started");
            status = runCommandLine(felix.getBundleContext(), args, clock);
            ClassArchiveTraining.linkLoadedClasses(felix.getBundleContext());
        } catch (IOException | BundleException | RuntimeException e) {
            log.debug("launcher failure", e);
            System.err.println(Printable.of("attenuator: cannot start: " + e.getMessage()));
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        } finally {
            stop(felix);
            if (cache != null) {
                cache.close();
            }
            clock.stage("framework stopped");
        }
        System.exit(status);
    }

    private static Map<String, Object> frameworkProperties(Path distribution, Path cache) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra());
        props.put("felix.log.level", "1");
        props.put("attenuator.distribution", distribution.toAbsolutePath().toString());
        return props;
    }

    private static String systemPackagesExtra() {
        Properties build = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("launcher.properties")) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("launcher.properties missing from the launcher jar", e);
        }
        String slf4j = build.getProperty("slf4j.version");
        StringBuilder extra = new StringBuilder("org.attenuator.launcher;version=\"1.2.0\"");
        for (String pkg : SHARED_PACKAGES) {
            extra.append(',').append(pkg).append(";version=\"").append(slf4j).append('"');
        }
        return extra.toString();
    }

    private static void installBundles(BundleContext context, Path dir) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(context.installBundle("reference:" + jar.toUri()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
    }

    private static int runCommandLine(BundleContext context, String[] args, StartupClock clock) throws InterruptedException {
        ServiceTracker<CommandLine, CommandLine> tracker = new ServiceTracker<>(context, CommandLine.class, null);
        tracker.open();
        try {
            CommandLine commandLine = tracker.waitForService(SERVICE_TIMEOUT_MS);
            if (commandLine == null) {
                System.err.println("attenuator: the command line service did not start; bundles: "
                        + Arrays.toString(unstarted(context)));
                return 1;
            }
            clock.stage("command line service");
            int status = commandLine.execute(args, System.in, System.out, System.err);
            clock.stage("command");
            return status;
        } finally {
            tracker.close();
        }
    }

    private static String[] unstarted(BundleContext context) {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .map(Bundle::getSymbolicName).toArray(String[]::new);
    }

    private static void stop(Felix felix) {
        if (felix == null) {
            return;
        }
        try {
            felix.stop();
            felix.waitForStop(10_000);
        } catch (BundleException e) {
            LoggerFactory.getLogger(Main.class).warn("framework stop failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
