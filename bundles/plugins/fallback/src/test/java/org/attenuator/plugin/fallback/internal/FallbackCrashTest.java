package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real processes: targets calling getppid in a loop under a supervisor JVM that is kill -9'd,
 * restarted, and whose keeper is kill -9'd too. Each target counts its calls and every result:
 * 7777 (the supervisor's handler), EPERM, ENOSYS, other errno, other values (allow: the real
 * parent). Always: calls = sum of the results, ENOSYS = 0, other errno = 0, and every target ends
 * when asked (none hangs). Each test starts its own keeper; no sleeps: every wait is a condition
 * with a deadline. The supervisors' and the keeper's logs stay under target/fallback-runs. The
 * benchmark bench/fallback/KillToFallbackBench.java drives the same rig (package access).
 */
class FallbackCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackCrashTest.class);

    private static final int GETPPID = 110, GETPID = 39;
    /** Long enough for a keeper to start, or targets to be adopted and make their calls, on a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A supervisor JVM's start to READY: more than 30 s seen with a load of 12 on 2 cores. */
    private static final Duration JVM_START = Duration.ofSeconds(120);
    private static Path loop;

    /** Under target/, kept after the run: the supervisors' and the keeper's logs are there. */
    private Path dir;
    Path agent;
    private Path keeperSocket;
    private final List<Sup> supervisors = new ArrayList<>();
    private final List<Process> targets = new ArrayList<>();
    final List<Long> keepers = new ArrayList<>();

    @BeforeAll
    static void compileTarget() throws Exception {
        Path build = Files.createDirectories(Path.of("target", "test-programs")).toAbsolutePath();
        Path source = build.resolve("loop.c");
        try (InputStream in = FallbackCrashTest.class.getResourceAsStream("loop.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        loop = build.resolve("loop");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", loop.toString(), source.toString())
                .inheritIO().start();
        assertEquals(0, gcc.waitFor(), "gcc " + source);
    }

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "run-")
                .toAbsolutePath();
        agent = dir.resolve("agent").resolve("agent.sock");
        keeperSocket = dir.resolve("run").resolve("keeper.sock");
    }

    @AfterEach
    void cleanUp() throws Exception {
        targets.forEach(Process::destroyForcibly);
        supervisors.forEach(s -> s.process.destroyForcibly());
        for (long pid : keepers) {
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
        }
    }

    /** Supervisor A (which starts the keeper) with t1 (the global default, EPERM) and t2 (fallback=allow). */
    private Sup supervisorWithTwoTargets(Counters[] t) throws Exception {
        Sup a = startSupervisor(agent, "a");
        t[0] = target(agent, "", "t1");
        t[1] = target(agent, "fallback=allow", "t2");
        await(() -> a.status().contains("trees=2 state=WATCHING") && a.lastStatus.contains("covered=2"),
                () -> "supervisor A: 2 trees covered; " + a.lastStatus);
        keepers.add(a.keeperPid());
        awaitGrowth(t[0], Counters.SUPERVISOR, 2000, "t1 answered by A");
        awaitGrowth(t[1], Counters.SUPERVISOR, 2000, "t2 answered by A");
        return a;
    }

    @Test
    void crashUnderLoadNeitherEnosysNorHang() throws Exception {
        Counters[] t = new Counters[2];
        Sup a = supervisorWithTwoTargets(t);
        a.table(); // logged in the supervisor's log: what the keeper will read
        long killed = a.kill9Now();
        awaitGrowth(t[0], Counters.EPERM, 2000, "t1 answered EPERM by the keeper");
        awaitGrowth(t[1], Counters.ALLOWED, 2000, "t2 allowed by the keeper");
        for (Counters c : t) {
            long ns = c.get(Counters.FIRST_FALLBACK_NS) - killed;
            assertTrue(ns > 0, c.name + ": first fallback answer " + ns + " ns after the kill");
            LOG.info("{}: kill -9 -> first fallback answer {} ms", c.name, String.format("%.3f", ns / 1e6));
        }
        stopAndCheck(t);
    }

    @Test
    void receivedButUnansweredAtTheCrashIsStillAnswered() throws Exception {
        Counters[] t = new Counters[2];
        Sup a = supervisorWithTwoTargets(t); // under load, so the held call is not the only one in flight
        // A's handler holds a getpid and A dies: the keeper answers it from the in-flight table by
        // its syscall number (EXDEV, the tree's getpid rule; the tree's default would be EPERM)
        Process once = new ProcessBuilder(testhelper(), "--notify", GETPPID + "," + GETPID, "--socket", agent.toString(),
                "--metadata", "fallback=errno:EPERM,getpid=errno:EXDEV", "--", loop.toString(), "once")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        targets.add(once);
        String held = a.next(WAIT);
        assertTrue(held.startsWith("@@ HELD"), held);
        String id = held.substring(held.indexOf(" id ") + 4);
        List<String> table = a.table();
        assertTrue(table.stream().anyMatch(l -> l.contains(" id " + id + " nr " + GETPID + " ")),
                () -> "the held call " + id + " is in the in-flight table: " + table);
        a.kill9();
        assertTrue(once.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), () -> "the in-flight getpid was answered; keeper log:\n"
                + read(keeperLog()));
        String out = new String(once.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals("-1 18", out, "getpid answered EXDEV by the keeper from the in-flight table");
        // the keeper answers first and logs its scan after, so the line may trail the answer
        await(() -> read(keeperLog()).contains(" id " + id + " nr " + GETPID + " VALID"),
                () -> "the keeper's scan found the held call; keeper log:\n" + read(keeperLog()));
        awaitGrowth(t[0], Counters.EPERM, 2000, "t1 answered EPERM by the keeper");
        awaitGrowth(t[1], Counters.ALLOWED, 2000, "t2 allowed by the keeper");
        stopAndCheck(t);
    }

    @Test
    void restartTakesTheTreesBackAndTheHandlersRunAgain() throws Exception {
        Counters[] t = new Counters[2];
        Sup a = supervisorWithTwoTargets(t);
        a.kill9();
        awaitGrowth(t[0], Counters.EPERM, 2000, "t1 answered EPERM by the keeper");
        awaitGrowth(t[1], Counters.ALLOWED, 2000, "t2 allowed by the keeper");

        Sup b = startSupervisor(agent.resolveSibling("agent2.sock"), "b");
        await(() -> b.status().contains("trees=2 state=WATCHING") && b.lastStatus.contains("covered=2"),
                () -> "supervisor B took back 2 trees; " + b.lastStatus);
        assertEquals(keepers.get(0), b.keeperPid(), "B found the running keeper");
        awaitGrowth(t[0], Counters.SUPERVISOR, 2000, "t1 answered by B");
        awaitGrowth(t[1], Counters.SUPERVISOR, 2000, "t2 answered by B");
        long eperm = t[0].get(Counters.EPERM), allowed = t[1].get(Counters.ALLOWED);
        awaitGrowth(t[0], Counters.SUPERVISOR, 2000, "t1 still answered by B");
        awaitGrowth(t[1], Counters.SUPERVISOR, 2000, "t2 still answered by B");
        assertEquals(eperm, t[0].get(Counters.EPERM), "no fallback answer to t1 after the hand-back");
        assertEquals(allowed, t[1].get(Counters.ALLOWED), "no fallback answer to t2 after the hand-back");
        stopAndCheck(t);
    }

    @Test
    void keeperKilledIsRestartedAndTheNextCrashIsCovered() throws Exception {
        Counters[] t = new Counters[2];
        Sup a = supervisorWithTwoTargets(t);
        long first = keepers.get(0);
        kill9(first);
        await(() -> a.status().contains("restarts=1") && a.lastStatus.contains("state=WATCHING")
                && a.lastStatus.contains("covered=2") && a.keeperPid() != first,
                () -> "A restarted the keeper; " + a.lastStatus);
        keepers.add(a.keeperPid());
        awaitGrowth(t[0], Counters.SUPERVISOR, 2000, "t1 answered by A after the keeper restart");
        awaitGrowth(t[1], Counters.SUPERVISOR, 2000, "t2 answered by A after the keeper restart");

        a.kill9();
        awaitGrowth(t[0], Counters.EPERM, 2000, "t1 answered EPERM by the new keeper");
        awaitGrowth(t[1], Counters.ALLOWED, 2000, "t2 allowed by the new keeper");
        stopAndCheck(t);
    }

    /** Every target stops when asked: none hangs; calls = sum of results, no ENOSYS. */
    private static void stopAndCheck(Counters[] t) throws Exception {
        for (Counters c : t) {
            c.stop();
        }
        for (Counters c : t) {
            assertTrue(c.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), c.name + " stopped");
            assertEquals(1, c.get(Counters.DONE), c.name + " done");
            c.checkClean();
            LOG.info(c.summary());
        }
    }

    private Path keeperLog() {
        return keeperSocket.resolveSibling("keeper.log");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String testhelper() {
        return NativeDir.testhelper().toString();
    }

    Counters target(Path agent, String metadata, String name) throws IOException {
        Path counters = dir.resolve(name + ".counters");
        Path stop = dir.resolve(name + ".stop");
        Process p = new ProcessBuilder(testhelper(), "--notify", String.valueOf(GETPPID), "--socket", agent.toString(),
                "--metadata", metadata, "--", loop.toString(), counters.toString(), stop.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        targets.add(p);
        await(() -> Files.exists(counters), () -> name + " started");
        return new Counters(name, p, counters, stop);
    }

    Sup startSupervisor(Path agent, String name) throws Exception {
        String cp = Files.readString(Path.of(System.getProperty("attenuator.test.classpath"))).trim();
        cp = Path.of("target", "test-classes").toAbsolutePath() + ":" + Path.of("target", "classes").toAbsolutePath()
                + ":" + cp;
        Path keeper = NativeDir.keeper();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", cp, SupervisorMain.class.getName(), agent.toString(), keeperSocket.toString(),
                keeper.toString())
                .redirectError(dir.resolve("supervisor-" + name + ".log").toFile()).start();
        Sup s = new Sup(p);
        supervisors.add(s);
        String ready = s.next(JVM_START, () -> threadsOf(p));
        assertEquals("@@ READY", ready, "supervisor " + name + " (log " + dir.resolve("supervisor-" + name + ".log") + ")");
        return s;
    }

    /** What a JVM that does not answer is doing: its threads (jstack), to tell a slow start from a stuck one. */
    private static String threadsOf(Process jvm) {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    String.valueOf(jvm.pid())).redirectErrorStream(true).start();
            String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "; alive " + jvm.isAlive() + ", its threads:\n" + dump;
        } catch (IOException | InterruptedException e) {
            return "; alive " + jvm.isAlive() + ", jstack: " + e;
        }
    }

    private static void kill9(long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor(), "kill -9 " + pid);
    }

    static void await(BooleanSupplier condition, Supplier<String> what) {
        Waits.until(condition, WAIT, what);
    }

    static void awaitGrowth(Counters t, int counter, long by, String what) {
        long start = t.get(counter);
        await(() -> t.get(counter) >= start + by, () -> what + ": " + t.summary());
        t.checkClean();
    }

    /** A supervisor JVM. */
    static final class Sup {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final OutputStream stdin;
        volatile String lastStatus = "";

        Sup(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (l.startsWith("@@")) {
                            lines.add(l);
                        }
                    }
                } catch (IOException e) {
                    // the JVM died
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String next(Duration timeout) throws InterruptedException {
            return next(timeout, () -> "");
        }

        /** The next line; after {@code timeout}, fails with {@code why} (computed then) in the message. */
        String next(Duration timeout, Supplier<String> why) throws InterruptedException {
            String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (l == null) {
                throw new AssertionError("no line from the supervisor within " + timeout + why.get());
            }
            return l;
        }

        String status() {
            try {
                stdin.write("status\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                String l;
                do {
                    l = next(WAIT);
                } while (!l.startsWith("@@ STATUS"));
                lastStatus = l;
                return l;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** The in-flight table as the keeper would read it (also in the supervisor's log). */
        List<String> table() throws InterruptedException, IOException {
            stdin.write("table\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            List<String> out = new ArrayList<>();
            for (String l = next(WAIT); !l.equals("@@ TABLE END"); l = next(WAIT)) {
                if (l.startsWith("@@ TABLE ")) {
                    out.add(l.substring("@@ TABLE ".length()));
                }
            }
            return out;
        }

        long keeperPid() {
            String s = status();
            int at = s.indexOf(" pid=") + 5;
            return Long.parseLong(s.substring(at, s.indexOf(' ', at)));
        }

        /** SIGKILL straight from this JVM; returns System.nanoTime() just before kill(). */
        long kill9Now() throws Exception {
            long before = System.nanoTime();
            process.destroyForcibly(); // kill(pid, SIGKILL), no kill(1) process in between
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            return before;
        }

        void kill9() throws Exception {
            FallbackCrashTest.kill9(process.pid());
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** A target's counters (loop.c). */
    static final class Counters {
        static final int CALLS = 0, SUPERVISOR = 1, EPERM = 2, ENOSYS = 3, OTHER_ERRNO = 4, ALLOWED = 5, DONE = 6,
                FIRST_FALLBACK_NS = 7;
        final String name;
        final Process process;
        final MappedByteBuffer map;
        final Path stop;

        Counters(String name, Process process, Path file, Path stop) throws IOException {
            this.name = name;
            this.process = process;
            this.stop = stop;
            await(() -> file.toFile().length() >= 64, () -> name + " counters");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                map = f.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, 64);
                map.order(ByteOrder.nativeOrder());
            }
        }

        long get(int i) {
            return map.getLong(i * 8);
        }

        void stop() throws IOException {
            Files.createFile(stop);
        }

        void checkClean() {
            assertEquals(0, get(ENOSYS), name + " saw ENOSYS: " + summary());
            assertEquals(0, get(OTHER_ERRNO), name + " saw another errno: " + summary());
            if (get(DONE) == 1) {
                assertEquals(get(CALLS), get(SUPERVISOR) + get(EPERM) + get(ALLOWED), name + ": calls = sum; " + summary());
            }
        }

        String summary() {
            return name + ": calls " + get(CALLS) + " = supervisor " + get(SUPERVISOR) + " + EPERM " + get(EPERM)
                    + " + allowed " + get(ALLOWED) + ", ENOSYS " + get(ENOSYS) + ", other errno " + get(OTHER_ERRNO);
        }
    }
}
