package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.attenuator.api.Decision;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.attenuator.testsupport.NativeDir;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 1,000 trees at once, each handed over through the agent socket, each decided, each ending. */
class ScaleTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleTest.class);
    private static final int TREES = 1000;
    private static final int GETPPID = NativePrograms.nr("getppid");

    @TempDir
    Path dir;

    @Test
    void thousandConcurrentTrees() throws Exception {
        try (Harness harness = new Harness(dir, Harness.SETTINGS, IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")))) {
            harness.addHandler((e, c) -> Decision.respond(7), 0, Map.of());
            // Each probe calls once, waits for EOF on fd 3 (the shell's stdin, which we hold), calls again.
            String launchAll = "exec 3<&0; i=0; while [ $i -lt " + TREES + " ]; do "
                    + NativeDir.testhelper() + " --notify " + GETPPID + " --socket " + harness.intake.socket()
                    + " -- " + String.join(" ", Harness.probe("hold", GETPPID, 3)) + " & i=$((i+1)); done; wait";
            long start = System.nanoTime();
            Process shell = new ProcessBuilder("sh", "-c", launchAll).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(shell.getInputStream()));
            Waits.until(() -> harness.supervisor.stats().notifications() == TREES, Duration.ofSeconds(60),
                    () -> harness.supervisor.stats().toString());
            long allRunning = System.nanoTime();
            assertEquals(TREES, harness.supervisor.trees().size());
            shell.getOutputStream().close();
            harness.awaitNoTrees();
            long allEnded = System.nanoTime();
            LOG.info("scale: {} trees adopted and first-answered in {} ms, all ended {} ms later", TREES,
                    (allRunning - start) / 1_000_000, (allEnded - allRunning) / 1_000_000);
            shell.waitFor(30, TimeUnit.SECONDS);
            String[] lines = output.get(30, TimeUnit.SECONDS).split("\n");
            assertEquals(2 * TREES, lines.length);
            List<String> odd = Arrays.stream(lines).filter(l -> !l.equals(GETPPID + " v=7")).toList();
            assertEquals(List.of(), odd, "every call answered by the handler");
            harness.awaitTreesEnded(TREES);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
