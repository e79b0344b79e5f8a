package org.attenuator.plugin.fallback.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent socket opened before the fallback plugin binds (Karaf starts its features in any order):
 * the keeper holds it once the plugin binds, and a tree handed in then comes through the keeper
 * (its listener held before the supervisor reads it); when the plugin goes, the intake accepts on
 * its own again and still adopts trees.
 */
class LateKeeperIntakeTest {

    private Path dir;
    private SupervisorComponent supervisor;
    private IntakeService intakes;
    private FallbackComponent fallback;

    @AfterEach
    void stop() throws Exception {
        if (fallback != null) {
            fallback.close();
        }
        supervisor.close();
    }

    @Test
    void anIntakeOpenedBeforeTheKeeperPluginIsHeldOnceItBinds() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "late-")
                .toAbsolutePath();
        Path keeperLog = dir.resolve("run").resolve("keeper.log");
        supervisor = new SupervisorComponent(new SupervisorSettings(2, Duration.ofSeconds(60), 4096));
        intakes = new IntakeService(supervisor);
        Intake intake = intakes.open(IntakeSettings.at(dir.resolve("agent.sock")));

        fallback = new FallbackComponent(supervisor, new FallbackSettings(true, "errno:EPERM", false,
                NativeDir.keeper(), dir.resolve("run").resolve("keeper.sock"), 1024, 256, true));
        supervisor.setCustodian(fallback);
        intakes.setCustodian(fallback);
        fallback.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> read(keeperLog).contains("agent socket held"));

        assertEquals(0, handIn(), "a tree handed in while the keeper holds the socket");
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.accepted() == 1);
        // the keeper logs the pass-on after sending it, so the line may trail the supervisor's accept
        await().atMost(Duration.ofSeconds(30)).until(() -> read(keeperLog).contains("1 listener(s) held, passed to the supervisor"));

        intakes.unsetCustodian(fallback);
        supervisor.unsetCustodian(fallback);
        fallback.close();
        fallback = null;
        assertEquals(0, handIn(), "a tree handed in after the plugin went");
        await().atMost(Duration.ofSeconds(30)).until(() -> intake.accepted() == 2);
    }

    /** attenuator-testhelper hands in a listener notifying getppid, as runc would, then runs /bin/true. */
    private int handIn() throws IOException, InterruptedException {
        return new ProcessBuilder(NativeDir.testhelper().toString(), "--notify", "110", "--socket",
                dir.resolve("agent.sock").toString(), "--", "/bin/true").inheritIO().start().waitFor();
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
