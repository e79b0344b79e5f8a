package org.attenuator.core.internal.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a peer sends, a bad connection costs one log line and its fds, and the agent goes on. */
class IntakeRejectionTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final String VALID_TAIL = "\"pid\":1,\"metadata\":\"\",\"state\":{\"id\":\"c\",\"annotations\":{}}}";

    @TempDir
    Path dir;
    Harness harness;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("run").resolve("agent.sock");
        // a stall timeout short enough for the stall test, long enough that a real target, descheduled
        // between its connect and its send on a loaded machine, is not taken for a staller
        harness = new Harness(dir, SupervisorSettings.DEFAULTS,
                new IntakeSettings(socket, Set.of(), Duration.ofSeconds(3)));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void socketIsPrivateToRoot() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void badJson() throws Exception {
        rejected("{\"fds\":[\"seccompFd\"", 1);
    }

    @Test
    void noSeccompFd() throws Exception {
        rejected("{\"fds\":[\"other\"]," + VALID_TAIL, 1);
    }

    @Test
    void moreFdsThanNames() throws Exception {
        rejected("{\"fds\":[\"seccompFd\"]," + VALID_TAIL, 2);
    }

    @Test
    void oversize() throws Exception {
        rejected("{\"fds\":[\"seccompFd\"]," + " ".repeat(IntakeSettings.MAX_MESSAGE_BYTES) + VALID_TAIL, 1);
    }

    @Test
    void stallingPeer() throws Exception {
        long fdsBefore = openFds();
        long before = harness.intake.rejected();
        try (UnixSocket peer = UnixSocket.connect(socket.toString()); Fd devNull = Fd.open("/dev/null", Fd.O_RDONLY)) {
            peer.sendFully("{\"fds\":[\"seccompFd\"],".getBytes(StandardCharsets.UTF_8), devNull);
            Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(20), () -> "stall rejected");
        }
        Waits.until(() -> openFds() == fdsBefore, Duration.ofSeconds(20), () -> "received fds closed");
        stillSupervises();
    }

    @Test
    void unknownPeerUidIsRejectedAndAllowedUidAccepted() throws Exception {
        // Open the directories to everyone, so that only the SO_PEERCRED check stands in the way.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Process nobody = asNobody(socket, "/bin/true");
        nobody.waitFor(); // refused at once: its send may fail, as runc's would
        Waits.until(() -> harness.intake.rejected() == 1, Duration.ofSeconds(20), () -> "peer rejected");
        assertEquals(0, harness.intake.accepted());

        Path allowedSocket = dir.resolve("open").resolve("agent.sock");
        try (var intake = harness.intakes.open(new IntakeSettings(allowedSocket, Set.of(65534), Duration.ofSeconds(5)))) {
            Files.setPosixFilePermissions(allowedSocket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(allowedSocket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Process allowed = asNobody(allowedSocket, NativePrograms.probe().toString(), "once", String.valueOf(GETPPID));
            assertEquals(GETPPID + " e=1", Harness.output(allowed, Duration.ofSeconds(10)));
            // counted once adopt() returned, which may be after the tree's event loop answered
            Waits.until(() -> intake.accepted() == 1, Duration.ofSeconds(20), () -> "accepted " + intake.accepted());
        }
    }

    private static Process asNobody(Path agent, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", NativeDir.testhelper().toString(), "--notify", String.valueOf(GETPPID),
                "--socket", agent.toString(), "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Sends {@code message} with {@code fdCount} fds; checks it is rejected, its fds closed, and the agent still works. */
    private void rejected(String message, int fdCount) throws Exception {
        long fdsBefore = openFds();
        long before = harness.intake.rejected();
        Fd[] fds = new Fd[fdCount];
        for (int i = 0; i < fdCount; i++) {
            fds[i] = Fd.open("/dev/null", Fd.O_RDONLY);
        }
        try (UnixSocket peer = UnixSocket.connect(socket.toString())) {
            peer.sendFully(message.getBytes(StandardCharsets.UTF_8), fds);
        } catch (NativeException e) {
            assertTrue(message.length() > IntakeSettings.MAX_MESSAGE_BYTES, "only an oversize send may fail: " + e);
        } finally {
            for (Fd fd : fds) {
                fd.close();
            }
        }
        Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(20), () -> "rejection");
        Waits.until(() -> openFds() == fdsBefore, Duration.ofSeconds(20), () -> "received fds closed");
        assertEquals(0, harness.intake.accepted());
        stillSupervises();
    }

    private void stillSupervises() throws Exception {
        Process p = harness.target("", List.of("getppid"), Harness.probe("once", GETPPID));
        assertEquals(GETPPID + " e=1", Harness.output(p, Duration.ofSeconds(10)));
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
