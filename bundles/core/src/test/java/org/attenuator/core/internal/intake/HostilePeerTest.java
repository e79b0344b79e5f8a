package org.attenuator.core.internal.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.LogLines;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.linux.Errno;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer that may connect to the agent socket and means harm: what it sends costs it one log line,
 * and the agent goes on answering real trees, with every kernel feature it had.
 */
class HostilePeerTest {

    private static final int ECONNRESET = 104;

    private static final Logger LOG = LoggerFactory.getLogger(HostilePeerTest.class);
    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final int IDLE_PEERS = 1000;

    @TempDir
    Path dir;
    Harness harness;
    LogLines log;
    Process sleeper;

    @BeforeEach
    void start() throws Exception {
        log = new LogLines();
        // a long stall timeout: whatever a peer holds open stays open for the whole test
        harness = new Harness(dir, SupervisorSettings.DEFAULTS,
                new IntakeSettings(dir.resolve("run").resolve("agent.sock"), Set.of(), Duration.ofSeconds(60)));
        sleeper = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void stop() {
        sleeper.destroyForcibly();
        harness.close();
        log.close();
    }

    @Test
    void aPipeAnEventfdOrAFileSentAsTheListenerIsNotAdopted() throws Exception {
        assertTrue(harness.supervisor.stats().syncWakeUp(), "this kernel has USER_NOTIF_FD_SYNC_WAKE_UP");
        Fd[] pipe = Fd.pipe();
        Path file = Files.writeString(dir.resolve("plain"), "{}");
        List<Fd> impostors = List.of(pipe[0], EventFd.create(0, 0), Fd.open(file.toString(), Fd.O_RDONLY));
        for (Fd impostor : impostors) {
            long before = harness.intake.rejected();
            int lines = log.warnings().size();
            send(valid(sleeper.pid()), impostor);
            Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(20), () -> "refused " + impostor);
            assertEquals(1, log.warnings().size() - lines, () -> "one line: " + log.warnings());
            assertTrue(log.warnings().get(lines).contains("not a seccomp listener"), log.warnings().get(lines));
        }
        for (Fd fd : impostors) {
            fd.close();
        }
        pipe[1].close();
        assertEquals(0, harness.intake.accepted());
        assertEquals(0, harness.supervisor.trees().size());
        // a real tree after them: answered, and listeners still get SYNC_WAKE_UP
        assertEquals(GETPPID + " e=1", Harness.output(harness.target("", List.of("getppid"), Harness.probe("once", GETPPID)),
                Duration.ofSeconds(10)));
        assertTrue(harness.supervisor.stats().syncWakeUp(), "no peer switches SYNC_WAKE_UP off");
    }

    @Test
    void idlePeersDoNotHoldUpARealTree() throws Exception {
        List<UnixSocket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_PEERS; i++) {
                idle.add(UnixSocket.connect(harness.intake.socket().toString()));
            }
            long started = System.nanoTime();
            Process target = harness.target("", List.of("getppid"), Harness.probe("once", GETPPID));
            assertEquals(GETPPID + " e=1", Harness.output(target, Duration.ofSeconds(10)));
            LOG.info("with {} idle peers, a tree was answered {} ms after its helper started", IDLE_PEERS,
                    (System.nanoTime() - started) / 1_000_000);
            // the idle peers are all still connected: the tree did not wait for any of them to go
            assertEquals(0, harness.intake.rejected(), () -> "idle peers dropped: " + log.warnings());
        } finally {
            for (UnixSocket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void oneUidFillingItsShareDoesNotHoldUpRoot() throws Exception {
        int share = 8;
        Path socket = dir.resolve("shared").resolve("agent.sock");
        try (var intake = harness.intakes.open(new IntakeSettings(socket, Set.of(1000), Duration.ofSeconds(60), share,
                List.of()))) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            // uid 1000 (allowed) opens twice its share of connections and sends nothing
            Process holder = new ProcessBuilder("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/usr/bin/python3",
                    "-c", "import socket, sys, time\n"
                            + "held = []\n"
                            + "for i in range(" + 2 * share + "):\n"
                            + "    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)\n"
                            + "print('holding', flush=True); time.sleep(60)\n", socket.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                assertEquals("holding", new String(holder.getInputStream().readNBytes(7), StandardCharsets.UTF_8));
                Waits.until(() -> intake.rejected() == share, Duration.ofSeconds(20), () -> "refused beyond the share: "
                        + intake.rejected());
                assertEquals(share, log.warningsWith("uid 1000 already has " + share + " connections open").size(),
                        () -> log.warnings().toString());
                // root hands a real tree over the same socket meanwhile
                Process target = new ProcessBuilder(NativeDir.testhelper().toString(), "--notify", String.valueOf(GETPPID),
                        "--socket", socket.toString(), "--", NativePrograms.probe().toString(), "once", String.valueOf(GETPPID))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                assertEquals(GETPPID + " e=1", Harness.output(target, Duration.ofSeconds(10)));
                assertTrue(holder.isAlive(), "uid 1000's connections were still open");
            } finally {
                holder.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void hostileMessagesCostOneLineEachAndTheAgentGoesOn() throws Exception {
        String deep = "{\"fds\":[\"seccompFd\"],\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        List<String> messages = List.of(
                deep,
                "{\"fds\":{\"seccompFd\":0},\"pid\":1}",
                "{\"fds\":[\"seccompFd\"],\"pid\":\"one\",\"metadata\":7,\"state\":[]}",
                "[\"seccompFd\"]",
                "\"just a string\"");
        for (String m : messages) {
            refusedInOneLine(() -> {
                try (Fd devNull = Fd.open("/dev/null", Fd.O_RDONLY)) {
                    send(m, devNull);
                }
            }, m.substring(0, Math.min(40, m.length())));
        }
        refusedInOneLine(() -> send(valid(sleeper.pid())), "no fds");
        refusedInOneLine(() -> {
            List<Fd> many = new ArrayList<>();
            try (UnixSocket peer = UnixSocket.connect(harness.intake.socket().toString())) {
                for (int i = 0; i < 20; i++) {
                    many.add(Fd.open("/dev/null", Fd.O_RDONLY));
                }
                byte[] start = "{\"fds\":[\"seccompFd\"],".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 4; i++) { // fds piled up over several sends
                    peer.send(start, i, 1, many.subList(i * 5, i * 5 + 5).toArray(Fd[]::new));
                }
            } catch (NativeException e) {
                LOG.info("the agent hung up before the last send: {}", e.getMessage());
            } finally {
                for (Fd fd : many) {
                    fd.close();
                }
            }
        }, "20 fds");
        // a valid message trickled one byte at a time is still read whole
        long before = harness.intake.rejected(); // before the last byte: the refusal may come at once
        try (UnixSocket peer = UnixSocket.connect(harness.intake.socket().toString())) {
            byte[] m = valid(sleeper.pid()).getBytes(StandardCharsets.UTF_8);
            try (Fd devNull = Fd.open("/dev/null", Fd.O_RDONLY)) {
                peer.send(m, 0, 1, devNull);
            }
            for (int i = 1; i < m.length; i++) {
                peer.send(m, i, 1);
            }
            Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(20), () -> "trickled message read");
            assertTrue(log.warnings().get(log.warnings().size() - 1).contains("not a seccomp listener"), log.warnings().toString());
        }
        assertEquals(GETPPID + " e=1", Harness.output(harness.target("", List.of("getppid"), Harness.probe("once", GETPPID)),
                Duration.ofSeconds(10)));
    }

    private interface PeerAction {
        void run() throws Exception;
    }

    private void refusedInOneLine(PeerAction peer, String what) throws Exception {
        long before = harness.intake.rejected();
        int lines = log.warnings().size();
        peer.run();
        Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(20), () -> "refused: " + what);
        assertEquals(1, log.warnings().size() - lines, () -> what + ": one line: " + log.warnings());
        assertTrue(log.warnings().get(lines).length() < 400, () -> what + ": a short line: " + log.warnings().get(lines));
    }

    private static String valid(long pid) {
        return "{\"fds\":[\"seccompFd\"],\"pid\":" + pid + ",\"metadata\":\"\",\"state\":{\"id\":\"c\",\"annotations\":{}}}";
    }

    private void send(String message, Fd... fds) throws Exception {
        try (UnixSocket peer = UnixSocket.connect(harness.intake.socket().toString())) {
            peer.sendFully(message.getBytes(StandardCharsets.UTF_8), fds);
        } catch (NativeException e) {
            if (e.errno() != Errno.EPIPE && e.errno() != ECONNRESET) {
                throw e;
            }
            // the agent refused the message before its end and hung up: the refusal is counted all the same
        }
    }
}
