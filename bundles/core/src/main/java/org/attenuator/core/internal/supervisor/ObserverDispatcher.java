package org.attenuator.core.internal.supervisor;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link SyscallObserver}s from a bounded queue on one thread of its own, so a slow
 * observer never slows a target: when the queue is full, the event is dropped and counted. The
 * bound can change while events wait ({@link #capacity(int)}): then only new events see it. An
 * observer that leaves, and the dispatcher when it closes, first get what was queued before
 * (waiting at most {@link #DRAIN_TIMEOUT}): a run that ends right after its last denial still logs it.
 */
final class ObserverDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObserverDispatcher.class);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private final CopyOnWriteArrayList<SyscallObserver> observers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Consumer<SyscallObserver>> queue = new LinkedBlockingQueue<>();
    /** Events in the queue: what the bound counts. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int capacity;
    private final LongAdder dropped = new LongAdder();
    private final LogThrottle faultLog = new LogThrottle();
    private final Thread thread;

    ObserverDispatcher(int capacity) {
        this.capacity = capacity;
        this.thread = new Thread(this::drain, "attenuator-observers");
        thread.setDaemon(true);
        thread.start();
    }

    /** A changed configuration. */
    void capacity(int events) {
        capacity = events;
    }

    void add(SyscallObserver observer) {
        observers.add(observer);
    }

    void remove(SyscallObserver observer) {
        drain(DRAIN_TIMEOUT);
        observers.remove(observer);
    }

    long dropped() {
        return dropped.sum();
    }

    boolean watching() {
        return !observers.isEmpty();
    }

    /** Copies the call (it is reused once this returns) only when someone watches. */
    void answered(PendingCall call) {
        answered(call, call.decision, call.decidedBy);
    }

    /** As {@link #answered(PendingCall)}, with the decision given (the watchdog's, not the call's). */
    void answered(PendingCall call, Decision decision, String by) {
        if (observers.isEmpty()) {
            return;
        }
        AnsweredCall event = AnsweredCall.of(call);
        offer(o -> o.answered(event, decision, by));
    }

    /**
     * A denied, killed or audited call: observers get {@code sent} through {@code answered} and,
     * when {@code wouldBe} is not null (audit mode), {@code audited} with it; the event reads memory
     * through {@code memory} (null: not readable).
     */
    void answered(PendingCall call, Decision sent, Decision wouldBe, String by, org.attenuator.api.ArgumentReader memory) {
        if (observers.isEmpty()) {
            return;
        }
        AnsweredCall event = AnsweredCall.of(call, memory);
        offer(o -> {
            o.answered(event, sent, by);
            if (wouldBe != null) {
                o.audited(event, wouldBe, by);
            }
        });
    }

    void treeStarted(SupervisedTree tree) {
        offer(o -> o.treeStarted(tree));
    }

    void executed(SupervisedTree tree, long pid, String executable) {
        offer(o -> o.executed(tree, pid, executable));
    }

    void treeEnded(SupervisedTree tree) {
        offer(o -> o.treeEnded(tree));
    }

    private void offer(Consumer<SyscallObserver> event) {
        if (observers.isEmpty()) {
            return;
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            dropped.increment();
        } else {
            queue.add(event);
        }
    }

    /**
     * Waits until the events queued so far were handed to the observers, at most {@code timeout};
     * false when it gave up (an observer is stuck, or the dispatcher's thread is gone).
     */
    boolean drain(Duration timeout) {
        if (!thread.isAlive()) {
            return false;
        }
        Barrier barrier = new Barrier();
        queue.add(barrier);
        try {
            return barrier.reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A mark in the queue, not an event: reached when everything before it was handed out. */
    private static final class Barrier implements Consumer<SyscallObserver> {
        final CountDownLatch reached = new CountDownLatch(1);

        @Override
        public void accept(SyscallObserver ignored) {
            reached.countDown();
        }
    }

    private void drain() {
        try {
            while (true) {
                Consumer<SyscallObserver> event = queue.take();
                if (event instanceof Barrier barrier) {
                    barrier.reached.countDown();
                    continue;
                }
                pending.decrementAndGet();
                for (SyscallObserver o : observers) {
                    try {
                        event.accept(o);
                    } catch (RuntimeException e) {
                        if (faultLog.allow()) {
                            LOG.warn("observer {} failed (further failures are not logged for a while)",
                                    o.getClass().getName(), e);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    @Override
    public void close() {
        if (!drain(DRAIN_TIMEOUT)) {
            LOG.warn("observers did not take the last {} event(s) within {} ms", pending.get(), DRAIN_TIMEOUT.toMillis());
        }
        thread.interrupt();
    }
}
