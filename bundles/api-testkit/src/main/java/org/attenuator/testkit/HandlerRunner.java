package org.attenuator.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.attenuator.api.SyscallHandler;
import org.attenuator.api.SyscallObserver;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.osgi.framework.Constants;

/**
 * A handler under test against a real target: Attenuator's supervisor in this JVM, the handler
 * registered with it as Declarative Services would register the service, and real programs started
 * under a seccomp filter whose notified syscalls reach that supervisor the way runc hands them over
 * (the OCI seccomp agent protocol). What the target sees of each decision is what it prints and
 * its exit status. A call every handler passes on gets the supervisor's undecided answer for a tree
 * without a profile: EPERM. Linux x86_64; the target may not leave children behind.
 *
 * <pre>
 * try (HandlerRunner runner = HandlerRunner.start(tempDir)) {
 *     runner.register(new MyHandler(), Map.of(SyscallHandler.SYSCALLS, new String[] {"mkdir", "mkdirat"}));
 *     HandlerRunner.Outcome o = runner.run(List.of("mkdir", "mkdirat"), "/bin/mkdir", "/tmp/x");
 *     assertEquals(1, o.status(), o::toString);
 * }
 * </pre>
 */
public final class HandlerRunner implements AutoCloseable {

    /** How long {@link #run} waits for the target to end. */
    public static final Duration TARGET_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The supervisor's settings with a 10 s handler budget: on a loaded test machine a quick handler
     * can be off its CPU longer than the production budget of 50 ms and would count as a pass; what
     * a handler decides, not how fast, is what a test of it checks.
     */
    private static final SupervisorSettings SETTINGS = new SupervisorSettings(SupervisorSettings.DEFAULT_WORKERS,
            Duration.ofSeconds(10), SupervisorSettings.DEFAULTS.observerQueue());

    private final AtomicLong serviceIds = new AtomicLong(1000);
    private final Path dir;
    private final SupervisorComponent supervisor;
    private final Intake intake;

    private HandlerRunner(Path dir, SupervisorComponent supervisor, Intake intake) {
        this.dir = dir;
        this.supervisor = supervisor;
        this.intake = intake;
    }

    /** A supervisor with its agent socket, and the targets' output, in {@code dir} (a test's own directory). */
    public static HandlerRunner start(Path dir) throws IOException {
        SupervisorComponent supervisor = new SupervisorComponent(SETTINGS);
        try {
            Intake intake = new IntakeService(supervisor).open(IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
            return new HandlerRunner(dir, supervisor, intake);
        } catch (IOException | RuntimeException e) {
            supervisor.close();
            throw e;
        }
    }

    /**
     * Registers {@code handler} with the service properties its component would have
     * ({@link SyscallHandler#SYSCALLS}, {@link SyscallHandler#TARGET}, {@code service.ranking}).
     */
    public HandlerRunner register(SyscallHandler handler, Map<String, Object> properties) {
        Map<String, Object> service = new HashMap<>(properties);
        service.put(Constants.SERVICE_ID, serviceIds.incrementAndGet());
        service.putIfAbsent(Constants.SERVICE_RANKING, 0);
        supervisor.addHandler(handler, service);
        return this;
    }

    /** Registers {@code observer}: it sees every answered call, after the answer, on a thread of its own. */
    public HandlerRunner observe(SyscallObserver observer) {
        supervisor.addObserver(observer);
        return this;
    }

    /**
     * Runs {@code command} under a filter that sends the x86_64 syscalls {@code notified} to the
     * supervisor (every other syscall is allowed), and waits for its end.
     *
     * @throws IllegalArgumentException if a name in {@code notified} is no x86_64 syscall
     * @throws IllegalStateException if the target did not end within {@link #TARGET_TIMEOUT} (it is killed)
     */
    public Outcome run(Collection<String> notified, String... command) throws IOException, InterruptedException {
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        String numbers = notified.stream()
                .map(n -> String.valueOf(table.number(n)
                        .orElseThrow(() -> new IllegalArgumentException("no x86_64 syscall " + n))))
                .collect(Collectors.joining(","));
        List<String> argv = new ArrayList<>(List.of(Testhelper.path().toString(), "--notify", numbers,
                "--socket", intake.socket().toString(), "--"));
        argv.addAll(List.of(command));
        Path out = Files.createTempFile(dir, "target-out", ".txt");
        Path err = Files.createTempFile(dir, "target-err", ".txt");
        Process target = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!target.waitFor(TARGET_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            target.destroyForcibly().waitFor();
            throw new IllegalStateException(String.join(" ", command) + " did not end within "
                    + TARGET_TIMEOUT.toSeconds() + " s; its stderr: " + Files.readString(err));
        }
        return new Outcome(target.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Stops the supervisor: trees still supervised lose their listener (their notified calls fail with ENOSYS). */
    @Override
    public void close() {
        intake.close();
        supervisor.close();
    }

    /** How a target ended: its exit status (128 + N after signal N), and what it wrote. */
    public record Outcome(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + status + ", stdout: " + stdout + ", stderr: " + stderr;
        }
    }
}
