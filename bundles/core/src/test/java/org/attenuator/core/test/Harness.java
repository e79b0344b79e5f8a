package org.attenuator.core.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.osgi.framework.Constants;

/**
 * A supervisor with an agent socket in a temporary directory, and targets that the testhelper
 * hands to it exactly as runc would.
 */
public final class Harness implements AutoCloseable {

    private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);

    /**
     * The supervisor's defaults with a handler budget no quick handler overruns: on a loaded 2-core
     * machine the loop's thread can be off its CPU longer than the default 50 ms between a handler's
     * start and its return. A test about budgets or timeouts sets its own.
     */
    public static final SupervisorSettings SETTINGS = new SupervisorSettings(SupervisorSettings.DEFAULT_WORKERS,
            Duration.ofSeconds(10), SupervisorSettings.DEFAULTS.observerQueue());

    public final SupervisorComponent supervisor;
    /** The intake's service: tests bind a policy source to it. */
    public final IntakeService intakes;
    public final Intake intake;
    private final List<Process> targets = new ArrayList<>();

    public Harness(Path dir, SupervisorSettings settings, IntakeSettings intakeSettings) throws Exception {
        supervisor = new SupervisorComponent(settings);
        intakes = new IntakeService(supervisor);
        intake = intakes.open(intakeSettings);
    }

    public Harness(Path dir) throws Exception {
        this(dir, SETTINGS, IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
    }

    /** Starts {@code command} under a filter notifying {@code notified}, its listener sent to our socket. */
    public Process target(String metadata, List<String> notified, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(NativeDir.testhelper().toString(), "--notify",
                notified.stream().map(n -> String.valueOf(NativePrograms.nr(n))).collect(Collectors.joining(",")),
                "--socket", intake.socket().toString(), "--metadata", metadata, "--"));
        argv.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        targets.add(p);
        return p;
    }

    /** The probe's command line: {@code probe ARGS}. */
    public static String[] probe(Object... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(NativePrograms.probe().toString());
        for (Object a : args) {
            argv.add(String.valueOf(a));
        }
        return argv.toArray(new String[0]);
    }

    /** Everything the target prints, once it exited within {@code timeout}. */
    public static String output(Process p, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("target did not exit within " + timeout);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    /** Registers a handler as DS would; returns its properties, to remove or modify it later. */
    public Map<String, Object> addHandler(SyscallHandler handler, int ranking, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet());
        props.put(Constants.SERVICE_RANKING, ranking);
        supervisor.addHandler(handler, props);
        return props;
    }

    /** The one tree the supervisor holds, once it is there. */
    public TreeStatus awaitOnlyTree() {
        Waits.until(() -> supervisor.trees().size() == 1, Duration.ofSeconds(10),
                () -> "one tree, have " + supervisor.trees());
        return supervisor.trees().get(0);
    }

    /** Waits until the supervisor holds no tree. */
    public void awaitNoTrees() {
        Waits.until(() -> supervisor.trees().isEmpty(), Duration.ofSeconds(20),
                () -> "no trees, have " + supervisor.trees());
    }

    /** Waits until {@code count} trees ended: a tree is counted just after it left the supervisor's list. */
    public void awaitTreesEnded(long count) {
        Waits.until(() -> supervisor.stats().treesEnded() == count, Duration.ofSeconds(20),
                () -> count + " trees ended, have " + supervisor.stats().treesEnded());
    }

    @Override
    public void close() {
        targets.forEach(Process::destroyForcibly);
        intake.close();
        supervisor.close();
    }
}
