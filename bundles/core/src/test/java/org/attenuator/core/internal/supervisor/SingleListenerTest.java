package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attenuator.api.Decision;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.test.Caller;
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
        harness = new Harness(dir, Harness.SETTINGS.withWorkers(1),
                IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
        harness.addHandler((e, c) -> Decision.respond(7), 0, Map.of());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private Caller caller() throws Exception {
        return new Caller(harness, GETPPID, List.of("getppid"));
    }

    @Test
    void aSecondTreeIsAdoptedWhileTheLoopWaitsInTheFirstOnesReceive() throws Exception {
        try (Caller idle = caller()) {
            assertEquals("v=7", idle.call()); // the loop now waits in idle's RECV
            harness.awaitOnlyTree();
            try (Caller second = caller()) {
                assertEquals("v=7", second.call(), "the second tree must be answered while the first stays idle");
                assertEquals("v=7", idle.call());
            }
        }
    }

    @Test
    void theTreeEndsWhileTheLoopWaitsInItsReceive() throws Exception {
        try (Caller only = caller()) {
            assertEquals("v=7", only.call());
            harness.awaitOnlyTree();
        } // the probe exits: its listener hangs up under the blocked RECV
        harness.awaitNoTrees();
        try (Caller next = caller()) {
            assertEquals("v=7", next.call(), "the loop goes on with the next tree");
        }
    }

    @Test
    void theFirstTreeIsAnsweredBesideASecondOneAndAloneAgainAfterIt() throws Exception {
        try (Caller first = caller()) {
            assertEquals("v=7", first.call()); // alone: the loop waits in its RECV, its listener out of epoll
            harness.awaitOnlyTree();
            try (Caller second = caller()) {
                assertEquals("v=7", second.call());
                assertEquals("v=7", first.call(), "with a second tree the first one's listener must be back in epoll");
            }
            harness.awaitOnlyTree(); // the second one's end, reported by epoll
            assertEquals("v=7", first.call(), "alone again, the first tree is answered from its RECV");
        }
        harness.awaitNoTrees(); // found without epoll: the listener itself says it hung up
    }

    @Test
    void theFirstTreeEndsWhileASecondOneIsOnTheLoop() throws Exception {
        Caller first = caller();
        assertEquals("v=7", first.call());
        harness.awaitOnlyTree();
        try (Caller second = caller()) {
            assertEquals("v=7", second.call());
            first.close(); // its listener, back in epoll, hangs up there
            harness.awaitOnlyTree();
            assertEquals("v=7", second.call(), "left alone, the second tree is answered");
            assertEquals("v=7", second.call());
        }
        harness.awaitNoTrees();
    }

    @Test
    void closingTheSupervisorTakesTheLoopOutOfReceive() throws Exception {
        try (Caller caller = caller()) {
            assertEquals("v=7", caller.call());
            harness.awaitOnlyTree();
            harness.supervisor.close();
            // a loop thread left blocked in RECV would still receive this call and answer it with the chain
            assertEquals("e=38", caller.call(), "after close the listener is gone: ENOSYS");
        }
    }
}
