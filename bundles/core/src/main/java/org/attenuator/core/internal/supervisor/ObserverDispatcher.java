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
 * An answered call whose decision kind no observer wants ({@link SyscallObserver#answeredKinds()})
 * is dropped before it is copied: an allowed call then wakes no thread.
 */
final class ObserverDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObserverDispatcher.class);
    /** Long enough for a logging observer on a loaded machine; the bound is for a hung one. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    /** An observer and the decision kinds it wants {@code answered} for, as a bit per ordinal. */
    private record Watcher(SyscallObserver observer, int kinds) {
        boolean wants(Decision.Kind kind) {
            return (kinds & bit(kind)) != 0;
        }
    }

    private final CopyOnWriteArrayList<Watcher> observers = new CopyOnWriteArrayList<>();
    /** The kinds any observer wants: a call of another kind is not even copied. */
    private volatile int wantedKinds;
    private final BlockingQueue<Consumer<Watcher>> queue = new LinkedBlockingQueue<>();
    /** Events in the queue: what the bound counts. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int capacity;
    private final LongAdder dropped = new LongAdder();
    private final LogThrottle faultLog = new LogThrottle();
    private final Thread thread;
    /**
     * Set by {@link #close}: the thread is gone or going, so nothing waits for it any more. Declarative
     * Services unbinds the observers after deactivating the supervisor, and a barrier queued then
     * would never be reached: the run's exit waited out the whole timeout.
     */
    private boolean closed;

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

    synchronized void add(SyscallObserver observer) {
        int kinds = 0;
        for (Decision.Kind kind : observer.answeredKinds()) {
            kinds |= bit(kind);
        }
        observers.add(new Watcher(observer, kinds));
        wantedKinds |= kinds;
    }

    synchronized void remove(SyscallObserver observer) {
        if (!closed) {
            drain(DRAIN_TIMEOUT);
        }
        int kinds = 0;
        for (Watcher w : observers) {
            if (w.observer() == observer) {
                observers.remove(w);
            } else {
                kinds |= w.kinds();
            }
        }
        wantedKinds = kinds;
    }

    private static int bit(Decision.Kind kind) {
        return 1 << kind.ordinal();
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
        Decision.Kind kind = decision.kind();
        if ((wantedKinds & bit(kind)) == 0) {
            return; // the hot path of an allowed call no one observes: nothing copied, no thread woken
        }
        AnsweredCall event = AnsweredCall.of(call);
        offer(w -> {
            if (w.wants(kind)) {
                w.observer().answered(event, decision, by);
            }
        });
    }

    /**
     * A denied, killed or audited call: observers get {@code sent} through {@code answered} and,
     * when {@code wouldBe} is not null (audit mode), {@code audited} with it; the event reads memory
     * through {@code memory} (null: not readable).
     */
    void answered(PendingCall call, Decision sent, Decision wouldBe, String by, org.attenuator.api.ArgumentReader memory) {
        Decision.Kind kind = sent.kind();
        if ((wantedKinds & bit(kind)) == 0 && (wouldBe == null || observers.isEmpty())) {
            return;
        }
        AnsweredCall event = AnsweredCall.of(call, memory);
        offer(w -> {
            if (w.wants(kind)) {
                w.observer().answered(event, sent, by);
            }
            if (wouldBe != null) {
                w.observer().audited(event, wouldBe, by);
            }
        });
    }

    void treeStarted(SupervisedTree tree) {
        offer(w -> w.observer().treeStarted(tree));
    }

    void executed(SupervisedTree tree, long pid, String executable) {
        offer(w -> w.observer().executed(tree, pid, executable));
    }

    void treeEnded(SupervisedTree tree) {
        offer(w -> w.observer().treeEnded(tree));
    }

    private void offer(Consumer<Watcher> event) {
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
    private static final class Barrier implements Consumer<Watcher> {
        final CountDownLatch reached = new CountDownLatch(1);

        @Override
        public void accept(Watcher ignored) {
            reached.countDown();
        }
    }

    private void drain() {
        try {
            while (true) {
                Consumer<Watcher> event = queue.take();
                if (event instanceof Barrier barrier) {
                    barrier.reached.countDown();
                    continue;
                }
                pending.decrementAndGet();
                for (Watcher w : observers) {
                    try {
                        event.accept(w);
                    } catch (RuntimeException e) {
                        if (faultLog.allow()) {
                            LOG.warn("observer {} failed (further failures are not logged for a while)",
                                    w.observer().getClass().getName(), e);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (!drain(DRAIN_TIMEOUT)) {
            LOG.warn("observers did not take the last {} event(s) within {} ms", pending.get(), DRAIN_TIMEOUT.toMillis());
        }
        closed = true;
        thread.interrupt();
    }
}
