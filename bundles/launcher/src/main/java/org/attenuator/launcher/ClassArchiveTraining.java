package org.attenuator.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.LoggerFactory;

/**
 * The training run of {@code bin/attenuator-class-archive}: before the JVM writes the class archive
 * at its exit, links every class the bundles' class loaders loaded. HotSpot (17) links only the
 * classes of its built-in loaders before a dynamic dump and leaves out every class it finds unlinked
 * ("Not linked"): a bundle class the run loaded but never verified, e.g. most of jackson-databind's
 * that reading a profile loads, would be loaded and verified from its jar at every start again.
 *
 * <p>Which classes were loaded comes from the JVM's own log of the training run ({@code
 * -Xlog:class+load:file=FILE} with the system property {@value #PROPERTY} naming FILE): each line
 * whose source is a jar of {@code bundle/} names a class that bundle's loader defined. Reflection on
 * a class's methods links it (verifies it) without initializing it, so no class's static code runs.
 * Not thread-safe: the launcher calls it once, after the command.
 */
final class ClassArchiveTraining {

    /** System property: the class-load log of this training run. */
    static final String PROPERTY = "attenuator.classArchive.loadedClasses";
    private static final String SOURCE = " source: ";
    /**
     * The linked classes, held until the JVM exits: the framework's stop lets go of the bundles' class
     * loaders, and a garbage collection between the stop and the dump would unload their classes,
     * which then miss from the archive.
     */
    private static final List<Class<?>> KEPT = new ArrayList<>();

    private ClassArchiveTraining() {
    }

    /** In a training run (the property set), links the classes the log names; a failure is logged, never fatal. */
    static void linkLoadedClasses(BundleContext context) {
        String log = System.getProperty(PROPERTY);
        if (log == null || context == null) {
            return;
        }
        try {
            int linked = link(Files.readAllLines(Path.of(log)), bundlesByJar(context));
            LoggerFactory.getLogger(ClassArchiveTraining.class).debug("class archive training: {} bundle classes linked", linked);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ClassArchiveTraining.class).warn("class archive training: {}", e.toString());
        }
    }

    /** Links the class of each log line whose source is a bundle's jar; returns how many were linked. */
    static int link(List<String> logLines, Map<Path, Bundle> bundles) {
        int linked = 0;
        for (String line : logLines) {
            int source = line.indexOf(SOURCE);
            int name = line.lastIndexOf(' ', source - 1) + 1;
            if (source < 0 || !line.startsWith("file:", source + SOURCE.length())) {
                continue;
            }
            Bundle bundle = bundles.get(jar(line.substring(source + SOURCE.length())));
            if (bundle != null && linkClass(bundle, line.substring(name, source))) {
                linked++;
            }
        }
        return linked;
    }

    private static boolean linkClass(Bundle bundle, String className) {
        try {
            Class<?> c = bundle.loadClass(className);
            c.getDeclaredMethods(); // HotSpot links the class first
            KEPT.add(c);
            return true;
        } catch (ClassNotFoundException | LinkageError | RuntimeException notLinkable) {
            return false; // it stays out of the archive, as before
        }
    }

    private static Map<Path, Bundle> bundlesByJar(BundleContext context) {
        Map<Path, Bundle> byJar = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (location.startsWith("reference:file:")) {
                byJar.put(jar(location.substring("reference:".length())), b);
            }
        }
        return byJar;
    }

    private static Path jar(String fileUri) {
        try {
            return Path.of(URI.create(fileUri)).normalize();
        } catch (IllegalArgumentException notAFileUri) {
            return Path.of("");
        }
    }
}
