package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.plugin.fallback.Fallback;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attenuator run}: arguments to a Launch, statuses back; the launches themselves are core's tests. */
class RunCommandTest {

    @TempDir
    Path dir;

    private final Terminal terminal = new Terminal(InputStream.nullInputStream(),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));

    @Test
    void defaultsToASupervisedLaunchUnderDockersProfile() throws Exception {
        Launch l = RunCommand.parse(List.of("--", "ls", "-l", "--", "x"));
        assertEquals(List.of("ls", "-l", "--", "x"), l.argv());
        assertEquals(Launch.Mode.SUPERVISED, l.mode());
        assertEquals("docker-default", l.profile().name());
        assertEquals(Launch.Stdio.INHERIT, l.stdio());
    }

    @Test
    void modesAndProfile() throws Exception {
        Path profile = dir.resolve("p.json");
        Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"attenuator\":{\"undecided\":\"kill\"}}");
        Launch l = RunCommand.parse(List.of("--kernel-only", "--profile", profile.toString(), "--", "true"));
        assertEquals(Launch.Mode.KERNEL_ONLY, l.mode());
        assertEquals("p", l.profile().name());
        assertEquals("kill", l.profile().undecided().toString().toLowerCase().replaceAll("[^a-z]", ""));
        l = RunCommand.parse(List.of("--agent=/run/a.sock", "--", "true"));
        assertEquals(Launch.Mode.AGENT, l.mode());
        assertEquals(Optional.of(Path.of("/run/a.sock")), l.agentSocket());
    }

    /** The profile is evaluated with the capabilities the target keeps: mount follows CAP_SYS_ADMIN. */
    @Test
    void capabilityOptionsSetWhatTheTargetKeepsAndWhatTheProfileIsEvaluatedWith() throws Exception {
        assumeTrue(org.attenuator.core.TargetCapabilities.caller().contains("CAP_SYS_ADMIN"), "needs root");
        Launch plain = RunCommand.parse(List.of("--", "true"));
        assertEquals(Optional.of(org.attenuator.profile.Capabilities.DOCKER_DEFAULT), plain.capabilities());
        assertEquals(Optional.of(org.attenuator.bpf.Action.Kind.ERRNO), mountAction(plain));

        Launch added = RunCommand.parse(List.of("--cap-add", "sys_admin", "--cap-drop", "CAP_CHOWN,kill", "--", "true"));
        Set<String> expected = new java.util.HashSet<>(org.attenuator.profile.Capabilities.DOCKER_DEFAULT);
        expected.removeAll(Set.of("CAP_CHOWN", "CAP_KILL"));
        expected.add("CAP_SYS_ADMIN");
        assertEquals(Optional.of(expected), added.capabilities());
        assertEquals(Optional.of(org.attenuator.bpf.Action.Kind.ALLOW), mountAction(added));

        Launch privileged = RunCommand.parse(List.of("--privileged", "--", "true"));
        assertEquals(Optional.empty(), privileged.capabilities());
        assertEquals(Optional.of(org.attenuator.bpf.Action.Kind.ALLOW), mountAction(privileged));
    }

    @Test
    void badCapabilityOptionsExit2() {
        for (List<String> args : List.of(List.of("--cap-add", "SYS_WIZARD", "--", "true"),
                List.of("--cap-drop", "chown,,kill", "--", "true"), List.of("--privileged", "--cap-drop", "ALL", "--", "true"))) {
            CommandException e = assertThrows(CommandException.class, () -> RunCommand.parse(args), args.toString());
            assertEquals(2, e.status(), args.toString());
        }
    }

    private static Optional<org.attenuator.bpf.Action.Kind> mountAction(Launch l) {
        return l.profile().policy().rules().stream().filter(r -> r.syscall().equals("mount")).findFirst()
                .map(r -> r.action().kind()).or(() -> Optional.of(l.profile().policy().defaultAction().kind()));
    }

    /** Every option in every mode (see docs/launch.md): refused in one line where it would have no effect. */
    @Test
    void anOptionThatWouldHaveNoEffectInItsModeIsRefusedInOneLine() {
        List<String> agent = List.of("--agent", "/run/a.sock"), kernelOnly = List.of("--kernel-only"),
                learning = List.of("--learn"), supervised = List.of();
        List<List<String>> refused = List.of(
                plus(agent, "--cap-add", "SYS_ADMIN"), plus(agent, "--cap-drop", "ALL"), plus(agent, "--privileged"),
                plus(agent, "--deny-log"), plus(agent, "--deny-log", "--audit"), plus(agent, "--learn"),
                plus(agent, "--enforce-after", "3"), plus(agent, "--kernel-only"), plus(agent, "--profile", "learned:k"),
                plus(kernelOnly, "--fallback", "allow"), plus(kernelOnly, "--fallback", "kill"),
                plus(kernelOnly, "--apply-point", "listen"), plus(kernelOnly, "--deny-log", "--audit"),
                plus(kernelOnly, "--learn"), plus(kernelOnly, "--enforce-after", "3"),
                plus(learning, "--profile", "p.json"), plus(learning, "--kernel-only"), plus(learning, "--deny-log", "--audit"),
                plus(supervised, "--enforce-after", "3"), plus(supervised, "--audit"));
        for (List<String> args : refused) {
            CommandException e = assertThrows(CommandException.class, () -> RunCommand.parse(args), args::toString);
            assertEquals(2, e.status(), args.toString());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        CommandException e = assertThrows(CommandException.class,
                () -> RunCommand.parse(plus(kernelOnly, "--fallback", "allow")));
        assertTrue(e.getMessage().contains("--fallback") && e.getMessage().contains("kernel-only"), e.getMessage());
    }

    @Test
    void whatTravelsToTheAgentIsInTheLaunch() throws Exception {
        Launch l = RunCommand.parse(List.of("--agent", "/run/a.sock", "--fallback", "allow", "--apply-point", "listen",
                "--", "true"));
        assertEquals(Launch.Mode.AGENT, l.mode());
        assertEquals("allow", l.properties().get(Fallback.TREE_PROPERTY)); // sent as fallback=allow
        assertEquals(List.of("listen"), l.applyPoint());
        // learning keeps --fallback, --apply-point, --deny-log and the capability options: this process supervises it
        RunCommand.Options o = RunCommand.options(List.of("--learn", "--fallback", "allow", "--apply-point", "listen",
                "--deny-log", "--cap-add", "SYS_ADMIN", "--", "true"));
        assertEquals(Optional.of(""), o.learnKey());
    }

    private static List<String> plus(List<String> mode, String... options) {
        List<String> all = new java.util.ArrayList<>(mode);
        all.addAll(List.of(options));
        all.addAll(List.of("--", "true"));
        return all;
    }

    @Test
    void usageErrorsAndBadProfilesExit2WithOneLine() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"defaultAction\":\"SCMP_ACT_SOMETIMES\"}");
        for (List<String> args : List.<List<String>>of(List.of(), List.of("--"), List.of("--kernel-only", "--agent", "s", "--", "true"),
                List.of("--profile", dir.resolve("missing.json").toString(), "--", "true"),
                List.of("--profile", broken.toString(), "--", "true"), List.of("--frobnicate", "--", "true"),
                List.of("--profile", "learned:web", "--", "true"), List.of("--apply-point", ",", "true"),
                List.of("--apply-point", "listen,", "true"))) {
            CommandException e = assertThrows(CommandException.class, () -> RunCommand.parse(args), args::toString);
            assertEquals(2, e.status(), args.toString());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        CommandException e = assertThrows(CommandException.class,
                () -> RunCommand.parse(List.of("--profile", broken.toString(), "--", "true")));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("defaultAction"), e.getMessage());
    }

    @Test
    void statusIsTheTargetsAndLaunchFailuresKeepTheirStatus() throws Exception {
        assertEquals(143, new RunCommand(launch -> new FakeProcess(launch, 143)).run(Arguments.parse(List.of("--", "x"), RunSpec.SPEC), terminal));
        CommandException e = assertThrows(CommandException.class, () -> new RunCommand(launch -> {
            throw new LaunchException(LaunchException.Reason.NOT_FOUND, "x: command not found");
        }).run(Arguments.parse(List.of("--", "x"), RunSpec.SPEC), terminal));
        assertEquals(127, e.status());
        assertEquals("x: command not found", e.getMessage());
    }

    @Test
    void sigtermToTheJvmIsForwardedWhileInstalled() throws Exception {
        List<Integer> got = new CopyOnWriteArrayList<>();
        try (SignalForwarder f = SignalForwarder.install(got::add)) {
            assumeTrue(f.active(), "sun.misc.Signal not available");
            new ProcessBuilder("kill", "-TERM", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            Waits.until(() -> !got.isEmpty(), Duration.ofSeconds(30), () -> "the forwarder seeing the signal");
        }
        assertEquals(List.of(15), got);
    }

    private record FakeProcess(Launch launch, int status) implements LaunchedProcess {
        @Override
        public long pid() {
            return 1;
        }

        @Override
        public Optional<String> treeId() {
            return Optional.empty();
        }

        @Override
        public int waitFor() {
            return status;
        }

        @Override
        public Optional<Integer> waitFor(long timeout, TimeUnit unit) {
            return Optional.of(status);
        }

        @Override
        public boolean isAlive() {
            return false;
        }

        @Override
        public void signal(int signal) {
        }

        @Override
        public Process process() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
