package org.attenuator.core.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Declarative Services unbinds a deactivated supervisor's observers after its close. The
     * dispatcher's thread may still be alive then, only just interrupted: a remove that queued a
     * barrier for it waited out the whole drain timeout (a run's exit took 10 s more, once in ten
     * runs on a busy machine). Busy threads widen that window here as the start-up's JIT does.
     */
    @Test
    void anObserverLeavingAfterTheCloseDoesNotWaitForTheGoneThread() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread spinner = new Thread(() -> {
                while (!done.get()) {
                    Thread.onSpinWait();
                }
            });
            spinner.setDaemon(true);
            spinner.start();
            busy.add(spinner);
        }
        try {
            for (int i = 0; i < 200; i++) {
                Slow observer = new Slow();
                ObserverDispatcher dispatcher = new ObserverDispatcher(100);
                dispatcher.add(observer);
                dispatcher.close();
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> dispatcher.remove(observer),
                        "remove waited for a barrier the closed dispatcher's thread never reaches");
            }
        } finally {
            done.set(true);
            for (Thread t : busy) {
                t.join();
            }
        }
    }
}
