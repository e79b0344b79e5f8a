package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;

/**
 * {@code attenuator agent --socket PATH} as an administrator (or someone planting a file) meets
 * it: what is at PATH is never destroyed or taken over, except a stale socket nobody listens on.
 */
class AgentSocketPathIT extends DistributionTest {

    @Test
    void aRegularFileAtThePathIsRefusedAndKept() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.sock"), "someone's data\n");
        Result r = agent(file);
        assertEquals(2, r.status(), r.stderr());
        assertEquals(List.of("attenuator agent: --socket " + file + ": exists and is not a socket (left as it is)"), r.errorLines());
        assertEquals("someone's data\n", Files.readString(file));
    }

    @Test
    void aLiveAgentsSocketIsRefusedAndTheAgentGoesOn() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Path home = TempHome.in(dir);
        Daemon first = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString());
        started.add(first.process());
        Result second = agent(socket);
        assertEquals(2, second.status(), second.stderr());
        assertEquals(List.of("attenuator agent: --socket " + socket + ": another agent is listening on it"), second.errorLines());
        // the first agent still has its socket and takes a tree over it
        Process run = new ProcessBuilder(Distribution.bin().toString(), "run", "--agent", socket.toString(), "--", "/bin/true")
                .redirectErrorStream(true).start();
        started.add(run);
        String out = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);
        first.stop();
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(socket)); // an agent that died without removing its socket
        }
        assertTrue(Files.exists(socket));
        Path home = TempHome.in(dir);
        Daemon agent = Distribution.start(dir, home, () -> agentListening(dir), "agent", "--socket", socket.toString());
        started.add(agent.process());
        assertTrue(agent.stop().contains("OCI seccomp agent listening on " + socket), "the agent took the stale path");
    }

    private static boolean agentListening(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("stderr")).anyMatch(f -> Distribution.read(f)
                    .contains("OCI seccomp agent listening on"));
        } catch (IOException e) {
            return false;
        }
    }

    private record Result(int status, String stderr) {
        /** What the command itself said on stderr: every line but the INFO log lines of an agent starting. */
        List<String> errorLines() {
            return stderr.lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*")).toList();
        }
    }

    private Result agent(Path socket) throws Exception {
        Path stderr = Files.createTempFile(dir, "refused", ".txt");
        ProcessBuilder pb = new ProcessBuilder(Distribution.bin().toString(), "agent", "--socket", socket.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().put("ATTENUATOR_HOME", Files.createDirectories(dir.resolve("refused-home")).toString());
        Process p = pb.start();
        started.add(p);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not refuse the path, it is running: " + Files.readString(stderr));
        }
        return new Result(p.exitValue(), Files.readString(stderr));
    }
}
