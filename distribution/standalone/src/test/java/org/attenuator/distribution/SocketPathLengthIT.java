package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A socket path longer than a Unix socket address holds (107 bytes), from a long ATTENUATOR_HOME
 * (the keeper's socket is HOME/run/keeper*.sock) or a long --socket/--agent, ends the command with
 * one line naming the path and the limit, before the target or a keeper is started.
 */
class SocketPathLengthIT extends DistributionTest {

    private static final String LIMIT = "longer than the 107 a Unix socket address holds";

    private Path longHome;
    private Path shortHome;
    private Path longSocket;

    @BeforeEach
    void paths() throws Exception {
        longHome = Files.createDirectories(dir.resolve("h".repeat(110)));
        shortHome = Files.createDirectories(dir.resolve("home"));
        longSocket = dir.resolve("s".repeat(110) + ".sock");
    }

    /** What the command said on stderr, without the INFO log lines of an agent starting. */
    private static List<String> errorLines(Result r) {
        return r.err().lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*")).toList();
    }

    private static void noKeeperStarted(Path home) throws Exception {
        Path run = home.resolve("run");
        if (Files.isDirectory(run)) {
            try (Stream<Path> files = Files.list(run)) {
                List<Path> keeper = files.filter(f -> f.getFileName().toString().startsWith("keeper")).toList();
                assertEquals(List.of(), keeper, "no keeper was started");
            }
        }
    }

    @Test
    void aRunWithAHomeTooLongForTheKeepersSocketSaysSoInOneLineAndRunsNothing() throws Exception {
        Path ran = dir.resolve("ran");
        Result r = Distribution.run(longHome, "run", "--", "sh", "-c", "touch " + ran);
        List<String> lines = errorLines(r);
        assertEquals(2, r.status(), r::toString);
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("attenuator run: keeper socket path " + longHome + "/run/keeper-")
                && lines.get(0).endsWith(LIMIT + ": set a shorter ATTENUATOR_HOME"), r::toString);
        assertTrue(Files.notExists(ran), "the target did not run");
        noKeeperStarted(longHome);
    }

    @Test
    void aRunWithAnAgentSocketTooLongSaysSoInOneLine() throws Exception {
        Result r = Distribution.run(shortHome, "run", "--agent", longSocket.toString(), "--", "true");
        assertEquals(2, r.status(), r::toString);
        assertEquals(List.of("attenuator run: socket path " + longSocket + " is " + longSocket.toString().length() + " bytes, "
                + LIMIT), errorLines(r));
    }

    @Test
    void anAgentWithASocketTooLongSaysSoInOneLineBeforeItStartsAKeeper() throws Exception {
        Result r = Distribution.run(shortHome, "agent", "--socket", longSocket.toString());
        assertEquals(2, r.status(), r::toString);
        assertEquals(List.of("attenuator agent: --socket: socket path " + longSocket + " is " + longSocket.toString().length()
                + " bytes, " + LIMIT), errorLines(r));
        noKeeperStarted(shortHome);
    }

    @Test
    void anAgentWithAHomeTooLongForTheKeepersSocketSaysSoInOneLine() throws Exception {
        Result r = Distribution.run(longHome, "agent", "--socket", dir.resolve("agent.sock").toString());
        Path keeperSocket = longHome.resolve("run").resolve("keeper.sock");
        assertEquals(2, r.status(), r::toString);
        assertEquals(List.of("attenuator agent: keeper socket path " + keeperSocket + " is " + keeperSocket.toString().length()
                + " bytes, " + LIMIT + ": set a shorter ATTENUATOR_HOME"), errorLines(r));
        noKeeperStarted(longHome);
    }
}
