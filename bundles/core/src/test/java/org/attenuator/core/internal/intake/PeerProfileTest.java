package org.attenuator.core.internal.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.launch.LaunchPolicySource;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.LogLines;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's {@code profile=} names a profile in the agent's profile directory, or nothing: it never
 * makes the agent open, wait on, fill its memory with, or log a file of the peer's choosing.
 */
class PeerProfileTest {

    private static final int GETPPID = NativePrograms.nr("getppid");
    private static final String SECRET = "SECRET-7f3a:$6$x:19000:0:99999:7:::";
    /** The policies' answers to getppid: the directory's profile, a planted one, the default. */
    private static final String EACCES = GETPPID + " e=13", ENOTDIR = GETPPID + " e=20", DEFAULT = GETPPID + " e=1";

    @TempDir
    Path dir;
    Path profiles;
    Path outside;
    Harness harness;
    LogLines log;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        profiles = Files.createDirectories(dir.resolve("profiles"));
        outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(profiles.resolve("web.json"), profile("EACCES"));
        Files.writeString(outside.resolve("planted.json"), profile("ENOTDIR"));
        Files.writeString(outside.resolve("shadow"), SECRET + "\n");
        log = new LogLines();
        harness = new Harness(dir, SupervisorSettings.DEFAULTS, new IntakeSettings(dir.resolve("run").resolve("agent.sock"),
                Set.of(), Duration.ofSeconds(5), IntakeSettings.DEFAULT_MAX_CONNECTIONS_PER_UID, List.of(profiles)));
        harness.intakes.setPolicySource(new LaunchPolicySource()); // what the agent runs with
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        harness.close();
        log.close();
    }

    @Test
    void aProfileIsLookedUpInTheProfileDirectoryOnly() throws Exception {
        assertEquals(EACCES, getppid("profile=web"));
        assertEquals(EACCES, getppid("profile=web.json"));
        assertEquals(EACCES, getppid("profile=" + profiles.resolve("web.json")));
        assertEquals(DEFAULT, getppid("profile=" + outside.resolve("planted.json")));
        assertEquals(DEFAULT, getppid("profile=" + profiles.resolve("../elsewhere/planted.json")));
        assertEquals(DEFAULT, getppid("profile=../elsewhere/planted.json"));
        Files.createSymbolicLink(profiles.resolve("link.json"), outside.resolve("planted.json"));
        assertEquals(DEFAULT, getppid("profile=link"));
        assertEquals(4, log.warningsWith("the tree gets the default policy").size(), () -> log.warnings().toString());
    }

    @Test
    void noFileOfThePeersChoosingIsReadOrLogged() throws Exception {
        assertEquals(DEFAULT, getppid("profile=" + outside.resolve("shadow")));
        assertEquals(DEFAULT, getppid("profile=/etc/shadow"));
        for (int i = 0; i < 5; i++) { // /proc/kmsg blocks a reader until the kernel logs something
            started.add(harness.target("profile=/proc/kmsg", List.of("getppid"), Harness.probe("once", GETPPID)));
        }
        assertEquals(DEFAULT, getppid("")); // a tree after them is not held up
        for (Process p : started) {
            assertEquals(DEFAULT, Harness.output(p, Duration.ofSeconds(10)));
        }
        // inside the directory, a file that is not a profile: one line naming it, not quoting it
        Files.writeString(profiles.resolve("copied-shadow.json"), SECRET + "\n");
        long before = harness.intake.rejected();
        started.add(harness.target("profile=copied-shadow", List.of("getppid"), Harness.probe("once", GETPPID)));
        Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(10), () -> "refused");
        assertEquals(1, log.warningsWith("copied-shadow.json").size(), () -> log.warnings().toString());
        assertTrue(log.warnings().stream().noneMatch(l -> l.contains("SECRET")),
                () -> "a line quotes the file: " + log.warnings());
    }

    @Test
    void aFifoOrAHugeFileInTheProfileDirectoryIsRefusedUnread() throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", profiles.resolve("fifo.json").toString()).start().waitFor());
        try (RandomAccessFile huge = new RandomAccessFile(profiles.resolve("huge.json").toFile(), "rw")) {
            huge.setLength(1536L * 1024 * 1024); // sparse: 1.5 GB that take no disk
        }
        for (String name : List.of("fifo", "huge")) {
            long before = harness.intake.rejected();
            started.add(harness.target("profile=" + name, List.of("getppid"), Harness.probe("once", GETPPID)));
            Waits.until(() -> harness.intake.rejected() == before + 1, Duration.ofSeconds(10), () -> name + " refused");
            assertEquals(1, log.warningsWith(name + ".json").size(), () -> log.warnings().toString());
        }
        assertEquals(EACCES, getppid("profile=web"));
    }

    @Test
    void aPeerMaySendItsProfileAsText() throws Exception {
        String text = Base64.getEncoder().encodeToString(profile("ENOTDIR").getBytes(StandardCharsets.UTF_8));
        assertEquals(ENOTDIR, getppid("profile=mine\nprofileText=" + text));
        // its name is only a name: a path there is not opened either
        assertEquals(ENOTDIR, getppid("profile=/etc/shadow\nprofileText=" + text));
        // counted once adopt() returned, which may be after the tree's event loop answered
        Waits.until(() -> harness.intake.accepted() == 2, Duration.ofSeconds(20), () -> "accepted " + harness.intake.accepted());
    }

    private static String profile(String undecided) {
        return "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}],"
                + "\"attenuator\":{\"undecided\":\"errno:" + undecided + "\"}}";
    }

    private String getppid(String metadata) throws Exception {
        return Harness.output(harness.target(metadata, List.of("getppid"), Harness.probe("once", GETPPID)), Duration.ofSeconds(10));
    }
}
