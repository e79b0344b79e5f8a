package org.attenuator.plugin.fallback.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Trust nothing another user planted (OpenSSH StrictModes): attacks on the keeper's directory,
 * socket and log from outside, each by what a second local user (cloudsdk, uid 1000) or a
 * stranger process could plant. Each must be refused with one line naming the path and the
 * reason, and the planted thing must get nothing: no HELLO, no listener, no byte of the log.
 */
class KeeperTrustTest {

    private static final int OTHER_UID = 1000;
    private Path dir;
    private Path run;
    private SupervisorComponent supervisor;
    private FallbackComponent fallback;
    private final List<Process> processes = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void makeDirs() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "trust-")
                .toAbsolutePath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // cloudsdk may enter
        run = dir.resolve("run");
        log.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.attenuator.plugin.fallback").addAppender(log);
    }

    @AfterEach
    void stop() throws Exception {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.attenuator.plugin.fallback").detachAppender(log);
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        if (fallback != null) {
            fallback.close();
            supervisor.close();
        }
    }

    /** A supervisor with the plugin, keeper socket run/keeper.sock, and one tree for it to cover. */
    private void supervise() throws Exception {
        supervisor = new SupervisorComponent(new SupervisorSettings(2, Duration.ofSeconds(60), 4096));
        fallback = new FallbackComponent(supervisor, new FallbackSettings(true, "errno:EPERM", false,
                NativeDir.keeper(), run.resolve("keeper.sock"),
                64, 256, false));
        supervisor.setCustodian(fallback);
        fallback.start();
        Path agent = dir.resolve("agent.sock");
        new IntakeService(supervisor).open(IntakeSettings.at(agent));
        processes.add(new ProcessBuilder(NativeDir.testhelper()
                .toString(), "--notify", "110", "--socket", agent.toString(), "--", "sleep", "600")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.trees().size() == 1);
    }

    /** Waits for the plugin's refusal: one warning naming the path and the reason. */
    private String awaitRefusal(Path path, String reason) {
        await().atMost(Duration.ofSeconds(30)).until(() -> refusal(path, reason) != null);
        String line = refusal(path, reason);
        assertFalse(line.contains("\n") || line.contains("Exception"), "one line, no stack trace: " + line);
        return line;
    }

    private String refusal(Path path, String reason) {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("refusing " + path + ": ") && m.contains(reason)).findFirst().orElse(null);
    }

    @Test
    void keeperDirectoryOwnedByAnotherUserIsRefusedAndItsPlantedKeeperGetsNothing() throws Exception {
        // cloudsdk owns the keeper's directory (as it could /tmp/attenuator-0) and runs a keeper there
        Files.createDirectory(run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setOwner(run, run.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("cloudsdk"));
        Path fakeLog = dir.resolve("planted-keeper.log");
        processes.add(new ProcessBuilder("setpriv", "--reuid=" + OTHER_UID, "--regid=" + OTHER_UID, "--clear-groups",
                NativeDir.keeper().toString(), "--socket",
                run.resolve("keeper.sock").toString()).redirectErrorStream(true)
                .redirectOutput(fakeLog.toFile()).start());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(run.resolve("keeper.sock")));
        supervise();
        awaitRefusal(run, "owned by uid " + OTHER_UID);
        assertFalse(Files.readString(fakeLog).contains("said HELLO"), "the planted keeper got no HELLO:\n"
                + Files.readString(fakeLog));
        assertFalse(Files.readString(fakeLog).contains("added"), "nor a listener");
    }

    @Test
    void socketAnsweredByAnotherUserGetsNothing() throws Exception {
        Path received = plantListener(OTHER_UID);
        supervise();
        awaitRefusal(run.resolve("keeper.sock"), "of uid " + OTHER_UID + ", not uid 0 or root");
        assertEquals("", Files.readString(received), "the planted listener received nothing");
    }

    @Test
    void socketAnsweredByAProgramThatIsNotTheKeeperGetsNothing() throws Exception {
        Path received = plantListener(0);
        supervise();
        awaitRefusal(run.resolve("keeper.sock"), "which is not our keeper: it runs ");
        assertEquals("", Files.readString(received), "the planted listener received nothing");
    }

    /**
     * A listener on run/keeper.sock in a directory that passes every check: bound as root, then
     * (for uid 1000) listening as that uid, which is what SO_PEERCRED reports. Records what it receives.
     */
    private Path plantListener(int uid) throws Exception {
        Files.createDirectory(run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path received = dir.resolve("received");
        Files.writeString(received, "");
        Path ready = dir.resolve("listening");
        String script = String.join("\n", "import os, socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.bind(sys.argv[1])",
                "uid = int(sys.argv[3])",
                "if uid: os.chmod(sys.argv[2], 0o666); os.setgid(uid); os.setuid(uid)",
                "s.listen(8)",
                "with open(sys.argv[4], 'w') as f: f.write('listening')",
                "while True:",
                "    c, _ = s.accept()",
                "    while True:",
                "        b = c.recv(4096)",
                "        if not b: break",
                "        with open(sys.argv[2], 'ab') as f: f.write(b)");
        Files.writeString(ready, "");
        for (Path p : List.of(received, ready)) { // written to after the listener dropped to uid 1000
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        processes.add(new ProcessBuilder("python3", "-c", script, run.resolve("keeper.sock").toString(),
                received.toString(), String.valueOf(uid), ready.toString()).inheritIO().start());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(ready) > 0);
        return received;
    }

    @Test
    void keeperLogSymlinkedToARootOnlyFileIsRefused() throws Exception {
        Files.createDirectory(run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path secret = dir.resolve("root-only");
        Files.writeString(secret, "root's file\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(run.resolve("keeper.log"), secret);
        supervise();
        awaitRefusal(run.resolve("keeper.log"), "symbolic link");
        assertEquals("root's file\n", Files.readString(secret), "nothing appended to the link's target");
        assertFalse(Files.exists(run.resolve("keeper.sock")), "no keeper started with its output there");
    }

    @Test
    void groupWritableKeeperDirectoryIsRefused() throws Exception {
        Files.createDirectory(run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));
        supervise();
        awaitRefusal(run, "writable by group");
        assertFalse(Files.exists(run.resolve("keeper.sock")), "no keeper socket in a directory others can change");
        assertTrue(Files.notExists(run.resolve("keeper.log")), "no log there either");
    }
}
