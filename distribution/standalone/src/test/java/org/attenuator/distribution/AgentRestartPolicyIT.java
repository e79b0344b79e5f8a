package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * A tree {@code run --agent SOCKET --profile FILE} handed to an agent keeps its profile across the
 * agent's kill -9 and restart (systemd's Restart=): the new agent on the same home takes the tree
 * back from the keeper with the policy rebuilt from the profile text the first agent stored, although
 * the profile's file is gone by then: not the default policy (which answers the notified execve
 * EPERM, and may allow what the profile denied).
 */
class AgentRestartPolicyIT extends DistributionTest {

    /** Allows everything but mkdir/mkdirat, which get EACCES. */
    private static final String PROFILE = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\","
            + "\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}";

    @Test
    void restartedAgentTakesBackTheTreeWithItsProfile() throws Exception {
        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), PROFILE);
        Path home = TempHome.in(dir);
        Path socket = dir.resolve("agent.sock");
        Path log = dir.resolve("target.log");
        Path made = dir.resolve("made");
        Path stop = dir.resolve("stop");
        // each round: an exec, a mkdir that must fail, and its error message
        String loop = "while [ ! -e \"$1\" ]; do if /bin/true; then echo exec-ok; else echo exec-failed; fi;"
                + " mkdir \"$2\" 2>&1 && echo mkdir-allowed; echo round; sleep 0.05; done";

        Daemon agent = startAgent(home, socket);
        Process target = runUnderAgent(home, socket, profile, log, dir.resolve("run.stderr"), loop, stop, made);
        awaitRounds(log, 0, 3, agent);
        assertTargetRunsItsProfile(Files.readString(log), "under the first agent");

        // the user's file goes (a temporary file) after the launch: the tree keeps the profile it was launched with
        Files.delete(profile);
        agent.process().destroyForcibly(); // kill -9
        assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS), "the agent died");
        Daemon again = startAgent(home, socket);
        Waits.until(() -> again.stderrSoFar().contains("keeper: took back tree")
                || again.stderrSoFar().contains("not taken back"), Duration.ofSeconds(30), again::stderrSoFar);
        int from = Files.readString(log).length();
        awaitRounds(log, from, 4, again);
        // the round under way at the take-back may have had its exec answered by the keeper: judge the next ones
        String after = Files.readString(log).substring(from);
        assertTargetRunsItsProfile(after.substring(after.indexOf("round") + "round".length()),
                "after the restart: " + again.stderrSoFar());
        assertFalse(again.stderrSoFar().contains("runs the default policy"), again.stderrSoFar());

        Files.createFile(stop);
        assertTrue(target.waitFor(30, TimeUnit.SECONDS), "the target ended");
        // the stored text goes with the tree
        Waits.until(() -> storedTexts(home) == 0, Duration.ofSeconds(30), () -> "stored texts left in "
                + home.resolve("run/profiles"));
    }

    private static long storedTexts(Path home) {
        try (var files = Files.list(home.resolve("run/profiles"))) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A planted profile text (a permissive one, where the stored text of the tree lies) does not
     * become the tree's policy: its digest is not the tree's, so the new agent leaves the tree with
     * the keeper, which goes on answering it with its fallback (EPERM here), never ENOSYS.
     */
    @Test
    void plantedProfileTextLeavesTheTreeWithTheKeeper() throws Exception {
        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), PROFILE);
        Path home = TempHome.in(dir);
        Path socket = dir.resolve("agent.sock");
        Path log = dir.resolve("target.log");
        Path stop = dir.resolve("stop");
        String loop = "while [ ! -e \"$1\" ]; do if /bin/true; then echo exec-ok; else echo exec-failed; fi;"
                + " echo round; sleep 0.05; done";
        Daemon agent = startAgent(home, socket);
        Process target = runUnderAgent(home, socket, profile, log, log, loop, stop);
        awaitRounds(log, 0, 3, agent);

        agent.process().destroyForcibly();
        assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS), "the agent died");
        Path stored;
        try (var files = Files.list(home.resolve("run/profiles"))) {
            stored = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(stored, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"); // planted: would allow more
        Daemon again = startAgent(home, socket);
        Waits.until(() -> again.stderrSoFar().contains("not taken back"), Duration.ofSeconds(30),
                again::stderrSoFar);
        assertTrue(again.stderrSoFar().contains("SHA-256 differs"), again.stderrSoFar());
        assertFalse(again.stderrSoFar().contains("keeper: took back tree"), again.stderrSoFar());
        int from = Files.readString(log).length();
        awaitRounds(log, from, 3, again);
        String after = Files.readString(log).substring(from);
        assertTrue(after.contains("exec-failed") && after.contains("not permitted"), "the keeper's EPERM: " + after);
        assertFalse(after.contains("exec-ok") || after.contains("not implemented"), after);

        Files.createFile(stop);
        assertTrue(target.waitFor(30, TimeUnit.SECONDS), "the target ended");
    }

    private Daemon startAgent(Path home, Path socket) throws Exception {
        Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString());
        started.add(agent.process());
        return agent;
    }

    /** {@code run --agent SOCKET --profile PROFILE -- /bin/sh -c LOOP sh ARGS...}, its output to the files given. */
    private Process runUnderAgent(Path home, Path socket, Path profile, Path out, Path err, String loop, Path... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Distribution.bin().toString(), "run", "--agent", socket.toString(),
                "--profile", profile.toString(), "--", "/bin/sh", "-c", loop, "sh"));
        for (Path a : args) {
            command.add(a.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Process target = pb.start();
        started.add(target);
        return target;
    }

    private static void awaitRounds(Path log, int from, int rounds, Daemon agent) throws InterruptedException {
        Waits.until(() -> Distribution.read(log).substring(Math.min(from, Distribution.read(log).length()))
                .split("round", -1).length > rounds + 1, Duration.ofSeconds(30),
                () -> "rounds of the target: " + Distribution.read(log) + "\n" + agent.stderrSoFar());
    }

    /** Every exec worked, every mkdir got EACCES (not EPERM, ENOSYS or success). */
    private void assertTargetRunsItsProfile(String output, String when) {
        String rounds = output.substring(output.indexOf("exec-")); // a partial first line left out
        assertFalse(rounds.contains("exec-failed"), when + ": " + rounds);
        assertTrue(rounds.contains("exec-ok"), when + ": " + rounds);
        assertTrue(rounds.contains("Permission denied"), when + ": " + rounds);
        assertFalse(rounds.contains("mkdir-allowed") || rounds.contains("not permitted")
                || rounds.contains("not implemented"), when + ": " + rounds);
        assertFalse(Files.exists(dir.resolve("made")), when + ": mkdir made the directory");
    }
}
