package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.attenuator.api.Decision;
import org.attenuator.core.test.Harness;
import org.attenuator.core.test.HarnessTest;
import org.attenuator.core.test.NativePrograms;
import org.junit.jupiter.api.Test;

/** kill for a call made by a thread that is not its process's leader: the whole process dies. */
class ThreadKillTest extends HarnessTest {

    private static final int GETPPID = NativePrograms.nr("getppid");


    @Test
    void killOfANonLeaderThreadKillsItsProcess() throws Exception {
        AtomicLong caller = new AtomicLong();
        AtomicLong leader = new AtomicLong();
        harness.addHandler((e, c) -> {
            caller.set(e.pid());
            leader.set(e.tree().pid());
            return Decision.kill();
        }, 0, Map.of());
        Process p = harness.target("", List.of("getppid"), Harness.probe("thread", GETPPID));
        assertEquals("", Harness.output(p, Duration.ofSeconds(20)));
        assertEquals(128 + 9, p.exitValue(), "SIGKILL");
        assertNotEquals(leader.get(), caller.get(), "the call came from a second thread");
        harness.awaitNoTrees();
        harness.awaitTreesEnded(1);
    }
}
