package org.attenuator.core.internal.supervisor;

import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.Decision;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that decide and answer notifications: take a received call, run the {@link Decider},
 * send the answer, tell the observers, and give the call back to the pool.
 *
 * <p><b>Hung handlers.</b> A handler that overruns its budget but returns counts as pass (see
 * {@link Decider}). One that does not return within the hard {@code handlerTimeout} would hold its
 * worker, and the target, forever; a watchdog thread therefore takes such a call over: it answers
 * it with the call's undecided decision (what the policy says when every handler passes), reports
 * the handler, interrupts the stuck thread and starts a replacement worker. Exactly one of the
 * worker and the watchdog answers: both claim the call on the worker's slot with a
 * compare-and-set, tagged with a per-slot sequence number so a claim never lands on a later call.
 * The stuck thread, when (if) its handler returns, sees it lost the claim and exits without
 * touching the call, which it leaves out of the pool (the hung handler still holds it as its
 * event); the watchdog puts a fresh call in the pool instead. A handler registration that hangs
 * {@link Decider#MAX_HANGS} times is taken out of the chain (listed with the reason), so a handler
 * that always hangs holds at most that many threads. The hot path pays a few volatile writes and
 * one uncontended compare-and-set per notification.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops taking calls, lets the workers finish the calls they
 * hold (a hung one is taken over by the watchdog at its timeout), and answers every call still
 * queued with the tree's policy, without handlers.
 */
final class Workers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    private static final int EPERM = 1;
    private static final int MAX_PATH = 4096;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE = 0, DECIDING = 1, WORKER = 2, WATCHDOG = 3;

    private final BlockingQueue<PendingCall> idle;
    private final BlockingQueue<PendingCall> ready;
    private final Decider decider;
    private final Responder responder = new Responder();
    private final ObserverDispatcher observers;
    private final long timeoutNanos;
    private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private final AtomicInteger stuck = new AtomicInteger();
    private final LogThrottle stuckLog = new LogThrottle();
    private final Thread watchdog;
    private final int count;
    private volatile boolean closing;

    /**
     * One worker thread and the call it decides. {@code state} is (sequence << 2 | phase): the
     * worker writes {@code call} and {@code since} before it publishes DECIDING for a new
     * sequence, so a watchdog that saw DECIDING for sequence n and then wins the CAS from it knows
     * {@code call} is call n (the worker moves on only after its own claim of n).
     */
    private static final class Slot {
        final AtomicLong state = new AtomicLong(IDLE);
        volatile PendingCall call;
        volatile long since;
        long sequence; // the worker's thread only
        Thread thread;
    }

    Workers(int count, long handlerTimeoutNanos, BlockingQueue<PendingCall> idle, BlockingQueue<PendingCall> ready,
            Decider decider, ObserverDispatcher observers) {
        this.count = count;
        this.idle = idle;
        this.ready = ready;
        this.decider = decider;
        this.observers = observers;
        this.timeoutNanos = handlerTimeoutNanos;
        for (int i = 0; i < count; i++) {
            startWorker();
        }
        this.watchdog = new Thread(this::watch, "attenuator-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    int count() {
        return count;
    }

    /** Worker threads abandoned inside a handler that has not returned yet. */
    int stuck() {
        return stuck.get();
    }

    private void startWorker() {
        Slot slot = new Slot();
        Thread t = new Thread(() -> work(slot), "attenuator-worker-" + names.incrementAndGet());
        t.setDaemon(true);
        slot.thread = t;
        slots.add(slot);
        t.start();
    }

    private void work(Slot slot) {
        try {
            while (!closing) {
                PendingCall call = ready.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                if (call == null) {
                    continue;
                }
                long tag = ++slot.sequence << 2;
                slot.call = call;
                slot.since = System.nanoTime();
                slot.state.set(tag | DECIDING);
                if (!process(call, slot, tag)) {
                    stuck.decrementAndGet(); // the handler came back after all; this thread retires
                    return;
                }
                slot.call = null;
                call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
                call.tree.leave();
                call.clear();
                idle.add(call);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    /** Decides and answers; false when the watchdog took the call over meanwhile (nothing was done). */
    private boolean process(PendingCall call, Slot slot, long tag) {
        Tree tree = call.tree;
        try {
            decider.decide(call);
        } catch (TargetGoneException e) {
            if (!slot.state.compareAndSet(tag | DECIDING, tag | WORKER)) {
                return false;
            }
            tree.counters.targetGone.increment();
            return true;
        } catch (RuntimeException e) {
            if (!slot.state.compareAndSet(tag | DECIDING, tag | WORKER)) {
                return false;
            }
            tree.counters.errors.increment();
            LOG.error("{}: deciding {} of pid {} failed; answering EPERM", tree, call.syscall, call.pid(), e);
            answerEperm(call);
            return true;
        }
        if (!slot.state.compareAndSet(tag | DECIDING, tag | WORKER)) {
            return false;
        }
        answer(call);
        return true;
    }

    private void answer(PendingCall call) {
        Tree tree = call.tree;
        try {
            String executable = executedPath(call);
            // --- audit mode and the after-answer reader (issue 6): only on deny and kill paths
            Decision.Kind kind = call.decision.kind();
            if (kind == Decision.Kind.DENY || kind == Decision.Kind.KILL) {
                Decision wouldBe = AUDIT_ON.equals(tree.properties().get(AUDIT_PROPERTY)) ? call.decision : null;
                AfterAnswerReader memory = observers.watching() ? AfterAnswerReader.before(call.pid()) : null;
                Decision sent = wouldBe != null ? Decision.allow() : call.decision;
                responder.answer(call, sent);
                tree.counters.answered(sent);
                observers.answered(call, sent, wouldBe, call.decidedBy, memory);
                return;
            }
            // --- end issue 6
            responder.answer(call);
            tree.counters.answered(call.decision);
            observers.answered(call);
            if (executable != null) {
                observers.executed(tree, call.pid(), executable);
            }
        } catch (TargetGoneException | org.attenuator.linux.TargetGoneException e) {
            tree.counters.targetGone.increment();
        } catch (NativeException e) {
            tree.counters.errors.increment();
            if (tree.errorLog.allow()) {
                LOG.warn("{}: answering {} of pid {}: {}; answering EPERM", tree, call.syscall, call.pid(), e.getMessage());
            }
            answerEperm(call); // e.g. a kill that could not open the caller: the target must not wait forever
        }
    }

    /** Tree property (String): {@code "true"} puts the tree in audit ("complain") mode (issue 6, docs/denylog.md). */
    static final String AUDIT_PROPERTY = "denylog.audit";
    private static final String AUDIT_ON = "true";

    /** An unanswered notification would block its target forever. */
    private static void answerEperm(PendingCall call) {
        try {
            call.tree.listener.sendError(call.id(), EPERM);
        } catch (NativeException e) {
            LOG.debug("{}: {}", call.tree, e.getMessage());
        }
    }

    /**
     * The path an allowed execve/execveat runs, read before the answer (after it, the caller's
     * memory is the new program's); only when observers watch. Null otherwise. For observers
     * only: the string is the caller's memory (see TreePolicy on per-executable decisions).
     */
    private String executedPath(PendingCall call) {
        if (call.decision.kind() != Decision.Kind.ALLOW || !observers.watching()) {
            return null;
        }
        String name = call.syscall.name();
        int pathArg = name.equals("execve") ? 0 : name.equals("execveat") ? 1 : -1;
        if (pathArg < 0) {
            return null;
        }
        try {
            return call.reader().readString(call.arg(pathArg), MAX_PATH);
        } catch (UncheckedIOException e) {
            return "?";
        }
    }

    // ---- the watchdog ------------------------------------------------------------------------

    private void watch() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(timeoutNanos / 4, POLL_NANOS));
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (Slot slot : slots) {
                long s = slot.state.get();
                if ((s & 3) != DECIDING) {
                    continue;
                }
                PendingCall call = slot.call;
                if (now - slot.since > timeoutNanos && call != null
                        && slot.state.compareAndSet(s, (s & ~3L) | WATCHDOG)) {
                    takeOver(slot, call);
                }
            }
        }
    }

    /** Answers a call whose handler hangs and replaces its worker. Watchdog thread only. */
    private void takeOver(Slot slot, PendingCall call) {
        call.abandoned = true;
        stuck.incrementAndGet();
        Tree tree = call.tree;
        HandlerEntry hung = call.asking;
        String what = "did not return within " + timeoutNanos / 1_000_000 + " ms (the call got its undecided decision,"
                + " later handlers were not asked, the worker was replaced)";
        if (hung != null) {
            Decider.fault(hung, call, what, null);
            decider.hung(hung);
        } else {
            tree.counters.handlerFaults.increment();
            LOG.warn("deciding {} of {} {} (not in a handler)", call.syscall, tree, what);
        }
        Decision d = call.undecided;
        if (d == null) {
            d = tree.policy().undecided();
        }
        try {
            responder.answer(call, d);
            tree.counters.answered(d);
            observers.answered(call, d, Decider.TIMEOUT);
        } catch (TargetGoneException | org.attenuator.linux.TargetGoneException e) {
            tree.counters.targetGone.increment();
        } catch (NativeException e) {
            tree.counters.errors.increment();
            LOG.warn("{}: answering {} after a hung handler: {}", tree, call.syscall, e.getMessage());
            answerEperm(call);
        }
        call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
        tree.leave();
        try {
            idle.add(new PendingCall()); // the abandoned call stays with its hung handler
        } catch (NativeException e) {
            LOG.error("cannot replace a pooled call: {}", e.getMessage()); // one fewer in flight at a time
        }
        slots.remove(slot);
        slot.thread.interrupt();
        if (!closing) {
            startWorker();
        }
        if (stuckLog.allow()) {
            LOG.warn("{} worker thread(s) are stuck in handlers that never returned", stuck.get());
        }
    }

    // ---- shutdown ----------------------------------------------------------------------------

    /**
     * Stops the workers once they finished their calls (a hung handler is taken over by the
     * watchdog at its timeout), then answers every call still queued with the tree's policy
     * (handlers are not asked: they may be going away too). Call after the multiplexer stopped.
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + timeoutNanos + POLL_NANOS * 2;
        for (Slot slot : slots) {
            try {
                slot.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        watchdog.interrupt();
        PendingCall call;
        int answered = 0;
        while ((call = ready.poll()) != null) {
            try {
                decider.decideWithoutHandlers(call, Decider.SHUTDOWN);
                answer(call);
                answered++;
            } catch (TargetGoneException e) {
                call.tree.counters.targetGone.increment();
            } catch (RuntimeException e) {
                LOG.warn("{}: answering {} at shutdown failed: {}", call.tree, call.syscall, e.toString());
                answerEperm(call);
            } finally {
                call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
                call.tree.leave();
                call.clear();
                idle.add(call);
            }
        }
        if (answered > 0) {
            LOG.info("answered {} queued notification(s) with their trees' policy at shutdown", answered);
        }
    }
}
