package org.attenuator.core.internal.supervisor;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.Decision;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.ThreadInterrupter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's event loops ({@link EventLoop}: each receives, decides and answers the
 * notifications of its own listeners) and the watchdog that keeps a hung handler from holding a
 * loop forever. A new tree goes to the next loop, round-robin, and stays there.
 *
 * <p><b>Hung handlers.</b> A handler that overruns its budget but returns counts as pass (see
 * {@link Decider}). One that does not return within the hard {@code handlerTimeout} would hold its
 * loop, and every target of that loop, forever; the watchdog therefore takes such a call over: it
 * answers it with the call's undecided decision (what the policy says when every handler passes),
 * reports the handler, and starts a replacement thread on the loop, which goes on with the same
 * epoll set and listeners (see {@link DecidingSlot} for the compare-and-set that makes exactly one of
 * them answer). A handler registration that hangs {@link Decider#MAX_HANGS} times is taken out of
 * the chain (listed with the reason), so a handler that always hangs holds at most that many
 * threads. The hot path pays a few release stores and one uncontended compare-and-set per
 * notification. Each tick the watchdog also looks for a loop blocked in the RECV of a listener
 * whose tree has ended (see {@link EventLoop}).
 *
 * <p><b>Shutdown.</b> {@link #close()} stops the loops once they finished the calls they hold (a
 * hung one is taken over by the watchdog at its timeout). Notifications not yet received stay in
 * the kernel: once the listeners are closed they fail with ENOSYS, unless the keeper holds a copy.
 */
final class EventLoops implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Every loop started, and how many of them take new trees: the first {@code active}. A loop
     * beyond that (the configuration asked for fewer) keeps the trees it has and idles once they
     * end; it takes trees again if the number grows back.
     */
    private record Pool(EventLoop[] all, int active) {}

    private final Decider decider;
    private final Responder responder;
    private final SyscallCatalog catalog = new SyscallCatalog();
    /** Null: loops always wait in epoll_wait (see {@link EventLoop}). */
    private final ThreadInterrupter interrupter;
    private volatile Pool pool;
    private volatile long timeoutNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger stuck = new AtomicInteger();
    private final LogThrottle stuckLog = new LogThrottle();
    private final Thread watchdog;
    /** Probed once, from the kernel release: no listener a peer hands over can change it. */
    private final boolean syncWakeUp = KernelRelease.current().atLeast(6, 6);
    private volatile boolean closing;

    EventLoops(int count, long handlerTimeoutNanos, Decider decider, Responder responder) throws NativeException {
        this.decider = decider;
        this.responder = responder;
        this.timeoutNanos = handlerTimeoutNanos;
        this.interrupter = ThreadInterrupter.ofJdk().orElse(null);
        if (interrupter == null) {
            LOG.info("the JDK's interrupt signal ({}) has no handler here: event loops with one listener wait in"
                    + " epoll_wait too", ThreadInterrupter.SIGNAL);
        }
        if (!syncWakeUp) {
            LOG.info("listeners run without USER_NOTIF_FD_SYNC_WAKE_UP (needs Linux 6.6; this is {})", KernelRelease.current());
        }
        this.pool = new Pool(startLoops(new EventLoop[0], count), count);
        this.watchdog = new Thread(this::watch, "attenuator-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The loops that take new trees. */
    int count() {
        return pool.active();
    }

    /**
     * Applies a changed configuration: {@code count} loops take new trees from now on (more are
     * started if needed; the trees of loops beyond it stay where they are), and the watchdog
     * takes over a call after {@code handlerTimeoutNanos}.
     */
    synchronized void reconfigure(int count, long handlerTimeoutNanos) throws NativeException {
        if (closing) {
            return;
        }
        Pool current = pool;
        EventLoop[] all = count > current.all().length ? startLoops(current.all(), count) : current.all();
        timeoutNanos = handlerTimeoutNanos;
        pool = new Pool(all, count);
    }

    /** {@code existing} followed by new, started loops up to {@code count}; none started if one fails. */
    private EventLoop[] startLoops(EventLoop[] existing, int count) throws NativeException {
        EventLoop[] all = Arrays.copyOf(existing, count);
        boolean success = false;
        try {
            for (int i = existing.length; i < count; i++) {
                all[i] = new EventLoop("attenuator-loop-" + (i + 1), catalog, decider, responder, interrupter);
            }
            success = true;
        } finally {
            if (!success) {
                for (int i = existing.length; i < count && all[i] != null; i++) {
                    all[i].closeFds();
                }
            }
        }
        for (int i = existing.length; i < count; i++) {
            all[i].start();
        }
        return all;
    }

    long notifications() {
        long sum = 0;
        for (EventLoop loop : pool.all()) {
            sum += loop.received();
        }
        return sum;
    }

    /** Whether listeners get USER_NOTIF_FD_SYNC_WAKE_UP (the kernel has it). */
    boolean syncWakeUp() {
        return syncWakeUp;
    }

    /**
     * Hands {@code tree} to the next loop; returns at once (the loop adds the listener to its epoll
     * set when it comes round, so a loop busy in a hung handler does not hold up adoption).
     */
    void register(Tree tree) {
        setSyncWakeUp(tree.listener);
        Pool p = pool;
        p.all()[Math.floorMod(next.getAndIncrement(), p.active())].register(tree);
    }

    /** The kernel then wakes the loop on the target's CPU, and the target on the loop's. */
    private void setSyncWakeUp(NotifyListener listener) {
        if (!syncWakeUp) {
            return;
        }
        try {
            listener.setFlags(NotifyListener.USER_NOTIF_FD_SYNC_WAKE_UP);
        } catch (NativeException e) { // this listener only: the next one is tried again
            LOG.warn("listener {} runs without USER_NOTIF_FD_SYNC_WAKE_UP: {}", listener, e.getMessage());
        }
    }

    // ---- the watchdog ------------------------------------------------------------------------

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            long timeout = timeoutNanos;
            LockSupport.parkNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(timeout / 4, POLL_NANOS)));
            long now = System.nanoTime();
            for (EventLoop loop : pool.all()) {
                loop.interruptIfHungUp();
                PendingCall overdue = loop.slot.takeOverOverdue(now, timeout);
                if (overdue != null) {
                    takeOver(loop, overdue);
                }
            }
        }
    }

    /** Answers a call whose handler hangs and gives its loop a new thread. Watchdog thread only. */
    private void takeOver(EventLoop loop, PendingCall call) {
        stuck.incrementAndGet();
        Tree tree = call.tree;
        HandlerEntry hung = call.asking;
        String what = "did not return within " + timeoutNanos / 1_000_000 + " ms (the call got its undecided decision,"
                + " later handlers were not asked, the event loop got a new thread)";
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
        responder.answerInstead(call, d, Decider.TIMEOUT);
        call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
        try {
            loop.takeOver(!closing);
        } catch (NativeException e) {
            LOG.error("{}: cannot make a new call for the loop; its trees are no longer answered: {}", loop,
                    e.getMessage());
        }
        if (stuckLog.allow()) {
            LOG.warn("{} thread(s) are stuck in handlers that never returned", stuck.get());
        }
    }

    // ---- shutdown ----------------------------------------------------------------------------

    /**
     * Stops the loops once they finished their calls (a hung handler is taken over by the
     * watchdog at its timeout). The trees are the caller's to end.
     */
    @Override
    public void close() {
        EventLoop[] loops;
        synchronized (this) { // no loop starts after this
            closing = true;
            loops = pool.all();
        }
        for (EventLoop loop : loops) {
            loop.stop();
        }
        long deadline = System.nanoTime() + timeoutNanos + POLL_NANOS * 2;
        try {
            for (EventLoop loop : loops) {
                loop.join(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.interrupt();
        for (EventLoop loop : loops) {
            loop.closeFds();
        }
    }
}
