package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.attenuator.api.Decision;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.NativePrograms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One event loop whose only tree is idle: its thread blocks in that listener's RECV instead of
 * epoll_wait (EventLoop's class comment). Whatever the loop must do meanwhile (adopt a second
 * tree, see the first one end, stop) has to interrupt that RECV.
 */
@Timeout(60)
class SingleListenerTest {

    private static final int GETPPID = NativePrograms.nr("getppid");

    @TempDir
    Path dir;
    private Harness harness;

    @BeforeEach
    void oneLoop() throws Exception {
        harness = new Harness(dir, SupervisorSettings.DEFAULTS.withWorkers(1),
                IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
        harness.addHandler((e, c) -> Decision.respond(7), 0, Map.of());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    /** A probe that makes one notified getppid per line we send and prints how it returned. */
    private final class Caller implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final BufferedReader out;

        Caller() throws Exception {
            process = harness.target("", List.of("getppid"), Harness.probe("stdin", GETPPID));
            in = process.getOutputStream();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String call() throws Exception {
            in.write('\n');
            in.flush();
            return out.readLine().substring(String.valueOf(GETPPID).length() + 1);
        }

        @Override
        public void close() throws Exception {
            in.close();
            Harness.output(process, Duration.ofSeconds(10));
        }
    }

    @Test
    void aSecondTreeIsAdoptedWhileTheLoopWaitsInTheFirstOnesReceive() throws Exception {
        try (Caller idle = new Caller()) {
            assertEquals("v=7", idle.call()); // the loop now waits in idle's RECV
            harness.awaitOnlyTree();
            try (Caller second = new Caller()) {
                assertEquals("v=7", second.call(), "the second tree must be answered while the first stays idle");
                assertEquals("v=7", idle.call());
            }
        }
    }

    @Test
    void theTreeEndsWhileTheLoopWaitsInItsReceive() throws Exception {
        try (Caller only = new Caller()) {
            assertEquals("v=7", only.call());
            harness.awaitOnlyTree();
        } // the probe exits: its listener hangs up under the blocked RECV
        harness.awaitNoTrees();
        try (Caller next = new Caller()) {
            assertEquals("v=7", next.call(), "the loop goes on with the next tree");
        }
    }

    @Test
    void closingTheSupervisorTakesTheLoopOutOfReceive() throws Exception {
        try (Caller caller = new Caller()) {
            assertEquals("v=7", caller.call());
            harness.awaitOnlyTree();
            harness.supervisor.close();
            // a loop thread left blocked in RECV would still receive this call and answer it with the chain
            assertEquals("e=38", caller.call(), "after close the listener is gone: ENOSYS");
        }
    }
}
