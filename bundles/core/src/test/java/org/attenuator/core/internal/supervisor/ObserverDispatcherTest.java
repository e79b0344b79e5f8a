package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;
import org.junit.jupiter.api.Test;

class ObserverDispatcherTest {

    /** A slow observer: each event takes it 20 ms. */
    private static final class Slow implements SyscallObserver {
        final AtomicInteger ended = new AtomicInteger();

        @Override
        public void answered(SyscallEvent event, Decision decision, String decidedBy) {
        }

        @Override
        public void treeEnded(SupervisedTree tree) {
            LockSupport.parkNanos(20_000_000);
            ended.incrementAndGet();
        }
    }

    @Test
    void aLeavingObserverAndTheClosingDispatcherFirstGetWhatWasQueued() {
        Slow leaving = new Slow();
        Slow staying = new Slow();
        ObserverDispatcher dispatcher = new ObserverDispatcher(100);
        dispatcher.add(leaving);
        dispatcher.add(staying);
        for (int i = 0; i < 5; i++) {
            dispatcher.treeEnded(null);
        }
        dispatcher.remove(leaving);
        assertEquals(5, leaving.ended.get(), "events queued before the observer left");
        for (int i = 0; i < 5; i++) {
            dispatcher.treeEnded(null);
        }
        dispatcher.close();
        assertEquals(10, staying.ended.get(), "events queued before the dispatcher closed");
    }
}
