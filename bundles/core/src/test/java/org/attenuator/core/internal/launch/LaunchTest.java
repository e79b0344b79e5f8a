package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.linux.Fd;
import org.attenuator.linux.Notification;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.UnixSocket;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real launches through attenuator-exec on the real kernel, each rule tried from the target's
 * side with native/exec/tests/target.c (static: its first act shows the filter it started under).
 */
class LaunchTest {

    static final int SIGSYS = 31, SIGTERM = 15;

    static SupervisorComponent supervisor;
    static Path target;

    @TempDir(factory = RunBaseFactory.class)
    Path runBase;

    @BeforeAll
    static void setUp() throws Exception {
        target = TargetProgram.path();
        supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        supervisor.close();
    }

    private final List<LauncherService> launchers = new ArrayList<>();

    private LauncherService launcher() {
        return launcher(runBase);
    }

    private LauncherService launcher(Path base) {
        LauncherService l = new LauncherService(TargetProgram.attenuatorExec(), base, supervisor);
        launchers.add(l);
        return l;
    }

    @AfterEach
    void closeLaunchers() {
        launchers.forEach(LauncherService::close);
    }

    /** Runs to the end; returns stdout+stderr, and the status as the last line "status N". */
    private String run(Launch.Builder launch) throws Exception {
        return run(launcher(), launch);
    }

    private static String run(LauncherService launcher, Launch.Builder launch) throws Exception {
        try (LaunchedProcess p = launcher.launch(launch.stdio(Launch.Stdio.PIPE).build())) {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.process().getErrorStream().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String out = new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS).isPresent(), "target still runs");
            return out + new String(err.get(), StandardCharsets.UTF_8) + "status " + p.waitFor();
        }
    }

    private static LaunchProfile denyingExecve() {
        LaunchProfile docker = LaunchProfile.builtinDefault();
        List<Rule> rules = new ArrayList<>(docker.policy().rules());
        rules.add(new Rule("execve", Action.errno(1)));
        rules.add(new Rule("execveat", Action.errno(1)));
        return LaunchProfile.of("no-exec", new Policy(docker.policy().defaultAction(), docker.policy().arches(), rules));
    }

    @Test
    void supervisedTargetIsFilteredFromItsFirstInstructionAndHoldsNoListener() throws Exception {
        String out = run(Launch.command(target.toString(), "getppid", "fds"));
        assertTrue(out.startsWith("NoNewPrivs:\t1\nSeccomp:\t2\n"), out);
        assertTrue(out.contains("getppid ok\nfds 0 1 2\n"), out);
        assertFalse(out.contains("seccomp"), out);
        assertTrue(out.endsWith("status 0"), out);
    }

    @Test
    void kernelOnlyTargetIsFilteredFromItsFirstInstructionAndHoldsNoListener() throws Exception {
        String out = run(Launch.command(target.toString(), "fds").kernelOnly());
        assertTrue(out.startsWith("NoNewPrivs:\t1\nSeccomp:\t2\n"), out);
        assertTrue(out.contains("fds 0 1 2\n"), out);
        assertTrue(out.endsWith("status 0"), out);
    }

    @Test
    void aDeepRunBaseFailsWithAClearLineAndTheDefaultBaseIsShort() throws Exception {
        Path deep = runBase.resolve("karaf-install-dir".repeat(6)).resolve("data").resolve("tmp");
        LaunchException e = assertThrows(LaunchException.class, () -> launcher(deep).launch(Launch.command("/bin/true").build()));
        assertTrue(e.getMessage().contains("too long for a socket path"), e.getMessage());
        Path base = LauncherService.runBase();
        assertTrue(base.toString().length() <= PrivateDir.MAX_BASE_LENGTH, base.toString());
        assertFalse(base.startsWith("/tmp"), base.toString());
        try (LaunchedProcess p = launcher(base)
                .launch(Launch.command("/bin/true").stdio(Launch.Stdio.PIPE).build())) {
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void launchPropertiesBecomeTreeProperties() throws Exception {
        try (LaunchedProcess p = launcher().launch(Launch.command("/bin/sleep", "5").property("fallback", "kill")
                .applyPoint(List.of("listen")).stdio(Launch.Stdio.PIPE).build())) {
            String tree = p.treeId().orElseThrow();
            assertEquals("kill", supervisor.tree(tree).orElseThrow().properties().get("fallback"));
            p.signal(SIGTERM);
            assertEquals(128 + SIGTERM, p.waitFor());
        }
    }

    /** mkdir, then listen, then mkdir again, each mkdir's outcome on a line: for apply-point tests. */
    private Launch.Builder mkdirListenMkdir(Path profile) throws Exception {
        Path work = Files.createDirectories(runBase.resolve("work"));
        String script = "import os, socket\n"
                + "def mk(name):\n"
                + "    try:\n"
                + "        os.mkdir(os.path.join('" + work + "', name)); print(name, 'made')\n"
                + "    except OSError as e:\n"
                + "        print(name, 'errno', e.errno)\n"
                + "mk('before')\n"
                + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
                + "mk('after')\n";
        return Launch.command("python3", "-c", script).profile(LaunchProfile.read(profile));
    }

    /**
     * The profile's own {@code "attenuator": {"applyPoint": [..]}}: mkdir, init-only, works before
     * the program's first listen and is refused from it on.
     */
    @Test
    void theProfilesApplyPointHoldsWithoutAnOption() throws Exception {
        Path profile = Files.writeString(runBase.resolve("daemon.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                + " \"attenuator\": {\"applyPoint\": [\"listen\"], \"initOnly\": [\"mkdir\", \"mkdirat\"]}}");
        assertEquals("before made\nafter errno 1\nstatus 0", run(mkdirListenMkdir(profile)));
        IllegalArgumentException kernelOnly = assertThrows(IllegalArgumentException.class,
                () -> Launch.command("/bin/true").profile(LaunchProfile.read(profile)).kernelOnly().build());
        assertTrue(kernelOnly.getMessage().contains("names an apply point [listen]"), kernelOnly.getMessage());
    }

    /**
     * {@code run --agent --apply-point}: the launcher builds the filter, the agent (here this
     * test's supervisor, behind its own socket) builds the same tree policy from the profile file
     * and the {@code applyPoint} metadata line.
     */
    @Test
    void anAgentAppliesTheLaunchsApplyPoint() throws Exception {
        Path profile = Files.writeString(runBase.resolve("initonly.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\","
                + " \"attenuator\": {\"initOnly\": [\"mkdir\", \"mkdirat\"]}}");
        IntakeService intakes = new IntakeService(supervisor);
        intakes.setPolicySource(new LaunchPolicySource());
        try (Intake agent = intakes.open(IntakeSettings.at(runBase.resolve("agent").resolve("a.sock")))) {
            String out = run(mkdirListenMkdir(profile).agent(agent.socket()).applyPoint(List.of("listen")));
            assertEquals("before made\nafter errno 1\nstatus 0", out);
        }
    }

    @Test
    void supervisedLaunchIsATree() throws Exception {
        try (LaunchedProcess p = launcher().launch(Launch.command("/bin/sleep", "5").stdio(Launch.Stdio.PIPE).build())) {
            String tree = p.treeId().orElseThrow();
            assertEquals(p.pid(), supervisor.tree(tree).orElseThrow().pid());
            assertEquals("launch", supervisor.tree(tree).get().properties().get("tree.source"));
            assertEquals("docker-default", supervisor.tree(tree).get().properties().get("tree.profile"));
            p.signal(SIGTERM);
            assertEquals(128 + SIGTERM, p.waitFor());
        }
    }

    @Test
    void exitStatusAndSignalDeathAreTheShells() throws Exception {
        assertTrue(run(Launch.command("/bin/sh", "-c", "exit 7")).endsWith("status 7"));
        assertTrue(run(Launch.command("/bin/sh", "-c", "kill -TERM $$")).endsWith("status " + (128 + SIGTERM)));
        assertTrue(run(Launch.command("/bin/sh", "-c", "exit 3").kernelOnly()).endsWith("status 3"));
    }

    @Test
    void supervisedTargetExecsAsTheProfileAllows() throws Exception {
        String out = run(Launch.command("/bin/sh", "-c", "/bin/echo hello; echo $?"));
        assertEquals("hello\n0\nstatus 0", out);
    }

    @Test
    void profileDenyingExecveDeniesItToTheTargetButNotToTheLauncher() throws Exception {
        String out = run(Launch.command(target.toString(), "exec", "/bin/true").profile(denyingExecve()));
        assertTrue(out.startsWith("NoNewPrivs:\t1\nSeccomp:\t2\n"), out);
        assertTrue(out.contains("execve -1 EPERM\n"), out);
    }

    /**
     * Kernel-only with a profile that denies execve: only attenuator-keeper could answer the target's
     * own execve with the profile's errno; with no keeper here the launch is refused before the
     * target runs, instead of leaving it ENOSYS (KernelOnlyExecIT runs it with the keeper).
     */
    @Test
    void kernelOnlyProfileDenyingExecveWithoutAKeeperIsRefusedBeforeTheTargetRuns() throws Exception {
        Path ran = runBase.resolve("ran");
        LaunchException e = assertThrows(LaunchException.class, () -> run(Launch.command("/bin/sh", "-c",
                "touch " + ran).profile(denyingExecve()).kernelOnly()));
        assertTrue(e.getMessage().startsWith("--kernel-only with a profile that denies execve: attenuator-keeper"),
                e.getMessage());
        assertFalse(Files.exists(ran), "the target ran");
    }

    @Test
    void i386AbiIsKilledWhenTheProfileCoversOnlyX86_64() throws Exception {
        LaunchProfile only64 = LaunchProfile.of("x86_64-only", new Policy(Action.ALLOW, List.of(Arch.X86_64), List.of()));
        String out = run(Launch.command(target.toString(), "int80").profile(only64));
        assertTrue(out.endsWith("status " + (128 + SIGSYS)), out);
        assertFalse(out.contains("int80 returned"), out);
        out = run(Launch.command(target.toString(), "x32").profile(only64).kernelOnly());
        assertTrue(out.endsWith("status " + (128 + SIGSYS)), out);
    }

    @Test
    void i386AbiFollowsTheSameRulesUnderTheDockerProfile() throws Exception {
        // Docker's profile covers x86 too, so int 0x80 reaches the same allow-list, not a way around it.
        String out = run(Launch.command(target.toString(), "getppid", "int80").profile(noGetppid()).kernelOnly());
        assertTrue(out.contains("getppid -1 EACCES\nint80 returned -13\n"), out);
    }

    private static LaunchProfile noGetppid() {
        LaunchProfile docker = LaunchProfile.builtinDefault();
        List<Rule> rules = new ArrayList<>(docker.policy().rules());
        rules.add(new Rule("getppid", Action.errno(13)));
        return LaunchProfile.of("no-getppid", new Policy(docker.policy().defaultAction(), docker.policy().arches(), rules));
    }

    /** The program cache entry {@code launch} writes, after running it. */
    private byte[] entryOf(Launch.Builder launch, String name) throws Exception {
        Path entry = runBase.resolve("programs").resolve(name);
        run(launch.programCache(entry));
        return Files.readAllBytes(entry);
    }

    /** An entry's header line split at its blanks: attenuator-program 1 MODE NINSNS METALEN. */
    private static String[] header(byte[] entry) {
        String start = new String(entry, 0, Math.min(80, entry.length), StandardCharsets.US_ASCII);
        return start.substring(0, start.indexOf('\n')).split(" ");
    }

    /** Where the program starts in an entry: after its header line and its metadata. */
    private static int programStart(byte[] entry) {
        return String.join(" ", header(entry)).length() + 1 + Integer.parseInt(header(entry)[4]);
    }

    /** {@code headOf}'s mode and metadata with {@code programOf}'s program. */
    private static byte[] splice(byte[] headOf, byte[] programOf) {
        String[] header = header(headOf);
        header[3] = header(programOf)[3];
        int metadata = String.join(" ", header(headOf)).length() + 1;
        byte[] head = (String.join(" ", header) + "\n" + new String(headOf, metadata, programStart(headOf) - metadata,
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        byte[] program = Arrays.copyOfRange(programOf, programStart(programOf), programOf.length);
        byte[] spliced = Arrays.copyOf(head, head.length + program.length);
        System.arraycopy(program, 0, spliced, head.length, program.length);
        return spliced;
    }

    @Test
    void aLaunchInstallsTheProgramItsCacheEntryHoldsInsteadOfCompiling() throws Exception {
        Launch.Builder kernelOnly = Launch.command(target.toString(), "getppid").kernelOnly();
        Path entry = runBase.resolve("programs/entry");
        assertTrue(run(kernelOnly.programCache(entry)).contains("getppid ok\n"));
        // the entry now holds another profile's program (getppid denied) under the same head
        Files.write(entry, entryOf(Launch.command(target.toString()).profile(noGetppid()).kernelOnly(), "other"));
        assertTrue(run(kernelOnly).contains("getppid -1 EACCES\n"), "the entry's program was installed");

        Launch.Builder supervised = Launch.command(target.toString(), "getppid");
        Path agentEntry = runBase.resolve("programs/agent-entry");
        assertTrue(run(supervised.programCache(agentEntry)).contains("getppid ok\n"));
        byte[] denying = entryOf(Launch.command(target.toString()).profile(noGetppid()), "other-agent");
        Files.write(agentEntry, splice(Files.readAllBytes(agentEntry), denying));
        assertTrue(run(supervised).contains("getppid -1 EACCES\n"), "the entry's program was installed");
    }

    @Test
    void anEntryOfAnotherHeadOrSizeOrOwnerIsCompiledOver() throws Exception {
        byte[] denying = entryOf(Launch.command(target.toString()).profile(noGetppid()).kernelOnly(), "other");
        byte[] denyingAgent = entryOf(Launch.command(target.toString()).profile(noGetppid()), "other-agent");
        Path entry = runBase.resolve("programs/entry");
        Launch.Builder kernelOnly = Launch.command(target.toString(), "getppid").kernelOnly().programCache(entry);
        Launch.Builder supervised = Launch.command(target.toString(), "getppid").programCache(entry);
        byte[] kernelEntry = entryOf(kernelOnly, "entry");
        byte[] agentEntry = entryOf(supervised, "entry");
        String denyingHead = new String(denying, 0, programStart(denying), StandardCharsets.US_ASCII);
        List<byte[]> refused = List.of(
                splice(agentEntry, denying), // another mode: an agent entry for a kernel-only launch
                denyingAgent, // another profile's metadata, for the supervised launch below
                Arrays.copyOf(denying, denying.length - 8), // a program cut short of its header's count
                (denyingHead.replace(" 0\n", " 0 \n") + "x").getBytes(StandardCharsets.US_ASCII)); // a header of six fields
        for (byte[] bad : refused) {
            Files.write(entry, bad);
            Launch.Builder launch = bad == denyingAgent ? supervised : kernelOnly;
            assertTrue(run(launch).contains("getppid ok\n"), String.join(" ", header(bad)));
            assertTrue(Arrays.equals(bad == denyingAgent ? agentEntry : kernelEntry, Files.readAllBytes(entry)),
                    "replaced by the launch's own entry");
        }
        // planted by another user: never installed
        Files.write(entry, denying);
        Files.setAttribute(entry, "unix:uid", 1000);
        assertTrue(run(kernelOnly).contains("getppid ok\n"));
    }

    @Test
    void missingCommandFailsWith127AndLeavesNothing() throws Exception {
        LaunchException e = assertThrows(LaunchException.class,
                () -> launcher().launch(Launch.command("no-such-command-attenuator").build()));
        assertEquals(127, e.status());
        assertEquals("no-such-command-attenuator: command not found", e.getMessage());
        e = assertThrows(LaunchException.class, () -> launcher().launch(Launch.command("/nonexistent/x").kernelOnly().build()));
        assertEquals(127, e.status());
        e = assertThrows(LaunchException.class, () -> launcher().launch(Launch.command("/etc/hostname").build()));
        assertEquals(126, e.status());
        try (Stream<Path> left = Files.list(runBase)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void commandThatCannotBeExecutedFailsWith126BeforeAnythingRuns() throws Exception {
        Path notElf = runBase.resolve("not-elf");
        Files.writeString(notElf, "just text\n");
        notElf.toFile().setExecutable(true);
        LaunchException e = assertThrows(LaunchException.class, () -> launcher().launch(
                Launch.command(notElf.toString()).stdio(Launch.Stdio.PIPE).build()));
        assertEquals(126, e.status(), e.getMessage());
        assertTrue(e.getMessage().endsWith("exec format error (neither ELF nor #!)"), e.getMessage());
        try (Stream<Path> left = Files.list(runBase)) {
            assertEquals(List.of(notElf), left.toList());
        }
    }

    @Test
    void agentReceivesTheListenerAsRuncSendsIt() throws Exception {
        Path socket = runBase.resolve("agent.sock");
        try (UnixSocket server = UnixSocket.listen(socket.toString(), 1)) {
            CompletableFuture<JsonNode> message = new CompletableFuture<>();
            Thread agent = new Thread(() -> {
                try (UnixSocket c = server.accept()) {
                    List<Fd> fds = new ArrayList<>();
                    byte[] buf = new byte[65536];
                    int len = 0;
                    for (int n; (n = c.receive(buf, len, buf.length - len, fds)) > 0;) {
                        len += n;
                    }
                    message.complete(new ObjectMapper().readTree(new String(buf, 0, len, StandardCharsets.UTF_8)));
                    try (NotifyListener l = NotifyListener.adopt(fds.get(0))) {
                        Notification n = new Notification();
                        l.receive(n); // the target's execve: this agent denies it with EACCES
                        l.sendError(n.id(), 13);
                    }
                } catch (Exception e) {
                    message.completeExceptionally(e);
                }
            });
            agent.start();
            String out = run(Launch.command(target.toString(), "fds", "exec", "/bin/true").agent(socket));
            JsonNode m = message.get(10, TimeUnit.SECONDS);
            assertEquals("seccompFd", m.path("fds").get(0).asText());
            assertEquals("running", m.path("state").path("status").asText());
            assertEquals(m.path("pid").asLong(), m.path("state").path("pid").asLong());
            assertTrue(m.path("metadata").asText().startsWith("profile=docker-default\n"), m.toString());
            assertTrue(out.contains("fds 0 1 2\n"), out);
            assertTrue(out.contains("execve -1 EACCES\n"), out);
            agent.join(5000);
        }
    }

    @Test
    void anArgumentWithANulIsRefusedBeforeAnythingRuns() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> launcher().launch(Launch.command("/bin/echo", "a\0b").kernelOnly().build()));
        assertEquals(125, e.status());
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void unreachableAgentFailsBeforeAnythingRuns() {
        LaunchException e = assertThrows(LaunchException.class, () -> launcher().launch(
                Launch.command("/bin/true").agent(runBase.resolve("nobody.sock")).build()));
        assertEquals(LaunchException.Reason.AGENT_UNREACHABLE, e.reason());
    }

    @Test
    void aDeadForkServerIsRestartedAndItsRunningTargetsStillEnd() throws Exception {
        LauncherService l = launcher();
        try (LaunchedProcess sleeper = l.launch(Launch.command("/bin/sleep", "30").kernelOnly().stdio(Launch.Stdio.PIPE).build())) {
            int first = l.serverPid().orElseThrow();
            org.attenuator.linux.ChildProcess.kill(first, 9);
            // the next launch sees the old one gone (now, or when its request fails) and starts another
            assertTrue(run(l, Launch.command("/bin/sh", "-c", "exit 4").kernelOnly()).endsWith("status 4"));
            int second = l.serverPid().orElseThrow();
            assertTrue(first != second, first + " " + second);
            assertTrue(sleeper.isAlive());
            sleeper.signal(SIGTERM);
            assertEquals(LaunchedProcessImpl.STATUS_LOST, sleeper.waitFor(), "its status died with the server");
        }
    }

    @Test
    void aMalformedRequestGetsAnErrorReplyAndTheServerKeepsServing() throws Exception {
        LauncherService l = launcher();
        assertTrue(run(l, Launch.command("/bin/true").kernelOnly()).endsWith("status 0"));
        int pid = l.serverPid().orElseThrow();
        byte[] body = "exec\0bogus\0".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[4 + body.length];
        java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.nativeOrder()).putInt(body.length);
        System.arraycopy(body, 0, frame, 4, body.length);
        assertEquals("bad request: mode must be supervised or kernel, optionally +log", l.server().sendRaw(frame));
        assertTrue(run(l, Launch.command("/bin/sh", "-c", "exit 5")).endsWith("status 5"));
        assertEquals(pid, l.serverPid().orElseThrow(), "the same server");
    }

    @Test
    void theForkServerRefusesAPeerThatIsNotItsParent() throws Exception {
        LauncherService l = launcher();
        assertTrue(run(l, Launch.command("/bin/true").kernelOnly()).endsWith("status 0"));
        int pid = l.serverPid().orElseThrow();
        Path socket;
        try (Stream<Path> dirs = Files.list(runBase)) {
            socket = dirs.map(d -> d.resolve("serve.sock")).filter(Files::exists).findFirst().orElseThrow();
        }
        // a process that is not the JVM (python's own socket) connects: refused with one line
        Process stranger = new ProcessBuilder("python3", "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX);"
                + "s.connect(sys.argv[1]); print(s.recv(200).decode(), end='')", socket.toString())
                .redirectErrorStream(true).start();
        String said = new String(stranger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, stranger.waitFor());
        assertTrue(said.startsWith("error refused: peer pid " + stranger.pid()), said);
        assertTrue(run(l, Launch.command("/bin/sh", "-c", "exit 6")).endsWith("status 6"));
        assertEquals(pid, l.serverPid().orElseThrow());
    }

    @Test
    void closingTheLauncherStopsTheForkServer() throws Exception {
        LauncherService l = launcher();
        assertTrue(run(l, Launch.command("/bin/true").kernelOnly()).endsWith("status 0"));
        int pid = l.serverPid().orElseThrow();
        l.close();
        // close() waits a while for the server's reader to reap it; on a loaded machine it may give up first
        Waits.until(() -> !Files.exists(Path.of("/proc/" + pid)), Duration.ofSeconds(30), () -> "server " + pid + " reaped");
        assertThrows(LaunchException.class, () -> l.launch(Launch.command("/bin/true").build()));
        // the server's directory and its lock file are gone
        Waits.until(() -> serverDirs().isEmpty(), Duration.ofSeconds(30), () -> "left in " + runBase + ": " + serverDirs());
    }

    private List<Path> serverDirs() {
        try (Stream<Path> left = Files.list(runBase)) {
            return left.filter(p -> p.getFileName().toString().startsWith("attenuator-launch-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void concurrentLaunchesShareOneServerAndStdinIsAPipe() throws Exception {
        LauncherService l = launcher();
        List<CompletableFuture<String>> runs = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int code = t;
            runs.add(CompletableFuture.supplyAsync(() -> {
                StringBuilder statuses = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    try (LaunchedProcess p = l.launch(Launch.command("/bin/sh", "-c", "read x; echo $x; exit " + code)
                            .kernelOnly().stdio(Launch.Stdio.PIPE).build())) {
                        p.process().getOutputStream().write(("line" + code + "\n").getBytes(StandardCharsets.UTF_8));
                        p.process().getOutputStream().close();
                        statuses.append(new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                                .append('=').append(p.waitFor()).append(' ');
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return statuses.toString().strip();
            }));
        }
        for (int t = 0; t < runs.size(); t++) {
            assertEquals(String.join(" ", java.util.Collections.nCopies(5, "line" + t + "=" + t)), runs.get(t).get(60, TimeUnit.SECONDS));
        }
        try (Stream<Path> dirs = Files.list(runBase)) {
            assertEquals(1, dirs.filter(Files::isDirectory).count(), "one server for all");
        }
    }

    @Test
    void aLauncherClosedWhileATargetRunsStillReportsItsStatusThenStopsTheServer() throws Exception {
        LauncherService l = launcher();
        try (LaunchedProcess p = l.launch(Launch.command("/bin/sh", "-c", "read x; exit 9").kernelOnly()
                .stdio(Launch.Stdio.PIPE).build())) {
            int server = l.serverPid().orElseThrow();
            l.close();
            assertThrows(LaunchException.class, () -> l.launch(Launch.command("/bin/true").build()));
            assertTrue(Files.exists(Path.of("/proc/" + server)), "the server waits for its target");
            p.process().getOutputStream().close();
            assertEquals(9, p.waitFor());
            Waits.until(() -> !Files.exists(Path.of("/proc/" + server)), Duration.ofSeconds(30),
                    () -> "the server " + server + " stopped and reaped once its target ended");
        }
    }
}
