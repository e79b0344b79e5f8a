package org.attenuator.distribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The life of {@code bin/attenuator run} seen from outside: signals sent to it as soon as its target
 * runs reach the target, its status is always the target's, a signal to the caller's whole process
 * group (as timeout(1) sends) does not lose that status, the target stays in the caller's process
 * group, and a run killed with SIGKILL leaves nothing behind once the next run has started.
 */
class RunSignalsIT extends DistributionTest {

    private static final Duration START = Duration.ofSeconds(60);
    /** A target that reports each relayed signal and exits 64 + its number; "pid P" once its traps are set. */
    private static final String REPORTER = "for s in HUP:1 INT:2 QUIT:3 USR1:10 USR2:12 TERM:15 WINCH:28; do "
            + "n=${s#*:}; s=${s%:*}; trap \"echo got $s; kill \\$! 2>/dev/null; exit $((64 + n))\" $s; done; "
            + "echo pid $$; sleep 60 & wait $!; echo no signal";
    private static final Map<String, Integer> NUMBERS =
            Map.of("HUP", 1, "INT", 2, "QUIT", 3, "USR1", 10, "USR2", 12, "TERM", 15, "WINCH", 28);

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "WINCH"})
    void signalSentAsSoonAsTheTargetRunsReachesItAndRunReturnsItsStatus(String signal) throws Exception {
        Path out = dir.resolve("out.txt");
        Process run = start(out, "run", "--", "sh", "-c", REPORTER);
        long target = awaitTargetPid(run, out);

        kill(signal, run.pid());

        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not end after SIG" + signal + ": " + Files.readString(out));
        assertTrue(Files.readString(out).contains("got " + signal + "\n"), "the target's output: " + Files.readString(out));
        assertEquals(64 + NUMBERS.get(signal), run.exitValue(), "run's status is the target's: " + stderr());
        assertFalse(ProcessHandle.of(target).isPresent(), "the target still runs");
    }

    @Test
    void terminatingTimeoutsProcessGroupReturnsTheTargetsStatus() throws Exception {
        Path out = dir.resolve("out.txt");
        Process timeout = startCommand(out, List.of("timeout", "--preserve-status", "-s", "TERM", "120",
                Distribution.bin().toString(), "run", "--", "sh", "-c", "trap 'exit 7' TERM; echo ready; sleep 30"));
        await().atMost(START).until(() -> Files.readString(out).contains("ready"));

        kill("TERM", timeout.pid()); // timeout sends it to run, then to its whole process group

        assertTrue(timeout.waitFor(30, TimeUnit.SECONDS), "timeout did not end");
        assertEquals(7, timeout.exitValue(), "run's status is the target's, not the fork server's: " + stderr());
        assertFalse(stderr().contains("exit status lost"), stderr());
    }

    @Test
    void forkServerKilledWhileTheTargetRunsStillGivesTheTargetsStatus() throws Exception {
        Path out = dir.resolve("out.txt");
        Path stop = dir.resolve("stop");
        Process run = start(out, "run", "--", "sh", "-c", "echo pid $$; while [ ! -e " + stop + " ]; do sleep 0.1; done; exit 9");
        long target = awaitTargetPid(run, out);

        ProcessHandle.of(stat(target, 4)).orElseThrow().destroyForcibly(); // kill -9 the fork server
        Files.createFile(stop);

        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not end");
        assertEquals(9, run.exitValue(), "run's status is the target's, reaped by run: " + stderr());
    }

    @Test
    void timeoutExpiringReturnsTheTargetsOwnStatus() throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = startCommand(out, List.of("timeout", "--preserve-status", "-s", "TERM", "10",
                Distribution.bin().toString(), "run", "--", "sh", "-c", "trap 'exit 7' TERM; echo ready; sleep 30"));

        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout did not end");
        // a TERM that came before the target had set its trap is held and delivered once it runs: 143
        int expected = Files.readString(out).contains("ready") ? 7 : 128 + 15;
        assertEquals(expected, p.exitValue(), "output: " + Files.readString(out) + ", stderr: " + stderr());
    }

    @Test
    void targetInTheCallersGroupServerNotAndAKilledRunLeavesNothingOnceTheNextRunStarted() throws Exception {
        Path home = dir.resolve("home");
        Path out = dir.resolve("out.txt");
        Process run = start(out, "run", "--", "sh", "-c", REPORTER);
        long target = awaitTargetPid(run, out);
        assertFalse(runEntries(home).isEmpty(), "the framework cache is under the home's run/");
        long serverPid = stat(target, 4);
        long jvmGroup = stat(run.pid(), 5);
        assertEquals(jvmGroup, stat(target, 5), "the target is in run's process group (the terminal's job)");
        assertNotEquals(jvmGroup, stat(serverPid, 5), "the fork server " + serverPid + " is in a group of its own");
        assertEquals(stat(run.pid(), 6), stat(serverPid, 6), "the fork server stays in run's session");
        String[] server = Files.readString(Path.of("/proc", Long.toString(serverPid), "cmdline")).split("\0");
        Path socket = Path.of(server[server.length - 1]);
        assertTrue(Files.exists(socket), "the fork server's socket " + socket);

        run.destroyForcibly();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        ProcessHandle.of(target).ifPresent(t -> {
            t.descendants().forEach(ProcessHandle::destroyForcibly);
            t.destroyForcibly();
        });
        List<String> stale = runEntries(home);

        Process next = start(dir.resolve("next.txt"), "run", "--", "true");
        assertTrue(next.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, next.exitValue(), stderr());

        for (String s : stale) {
            assertFalse(Files.exists(home.resolve("run").resolve(s)), "stale " + s + " is still there");
        }
        assertEquals(List.of(), runEntries(home), "no framework cache is left");
        assertFalse(Files.exists(socket.getParent()), "the killed run's fork server directory " + socket.getParent());
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), tmp.toList(), "nothing of the runs in their java.io.tmpdir");
        }
        assertFalse(Files.exists(Path.of("/tmp/hsperfdata_" + System.getProperty("user.name"), Long.toString(run.pid()))),
                "the killed JVM's perf data is gone");
    }

    private Process start(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Distribution.bin().toString()));
        cmd.addAll(List.of(args));
        return startCommand(out, cmd);
    }

    private Process startCommand(Path out, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("ATTENUATOR_HOME", dir.resolve("home").toString());
        // java.io.tmpdir of these JVMs only: what they leave there is theirs (/tmp is shared with everything else)
        pb.environment().put("JAVA_OPTS", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private long awaitTargetPid(Process run, Path out) {
        Pattern pid = Pattern.compile("pid (\\d+)\n");
        await().atMost(START).until(() -> {
            assertTrue(run.isAlive(), () -> "run ended early: " + stderr());
            return pid.matcher(Files.readString(out)).find();
        });
        Matcher m = pid.matcher(Distribution.read(out));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private String stderr() {
        return Distribution.read(dir.resolve("stderr.txt"));
    }

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -s " + signal + " " + pid);
    }

    /** Field {@code field} (1-based, as in proc(5)) of /proc/PID/stat: 4 ppid, 5 pgrp, 6 session. */
    private static long stat(long pid, int field) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] after = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[field - 3]);
    }

    private static List<String> runEntries(Path home) throws IOException {
        Path run = home.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("felix-") && !n.equals("felix.lock"))
                    .sorted().toList();
        }
    }
}
