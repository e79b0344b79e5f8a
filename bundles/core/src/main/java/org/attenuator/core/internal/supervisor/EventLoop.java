package org.attenuator.core.internal.supervisor;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop (Netty's discipline): a thread that owns an epoll set and the listeners assigned
 * to it, and takes each of their notifications from RECV to SEND itself: epoll_wait, RECV into the
 * loop's own {@link PendingCall}, decide, answer, wait again. No hand-off to another thread, so
 * with USER_NOTIF_FD_SYNC_WAKE_UP target and loop pass the CPU to each other directly. The hot path
 * allocates nothing, takes no lock and does not log. Other threads only queue commands (a new
 * listener) and wake the loop through its eventfd. Registrations are looked up by the tree's
 * sequence number (the epoll cookie), never by fd number.
 *
 * <p><b>Hung handlers.</b> While the loop decides a call, {@link #state} is (sequence << 2 |
 * DECIDING). The loop writes {@link #call} and {@link #since} before it publishes DECIDING for a
 * new sequence, so a watchdog that saw DECIDING for sequence n and then wins the compare-and-set
 * from it knows {@code call} is call n. Exactly one of the loop and the watchdog answers: the one
 * whose compare-and-set from DECIDING succeeds. A loop whose handler overran the hard timeout is
 * taken over by the watchdog ({@link #takeOver}): it answers the call with the undecided decision
 * (see {@link EventLoops}), gives the loop a fresh call and starts a replacement thread on the same
 * epoll set and listeners. The stuck thread, when (if) its handler returns, sees it lost and
 * returns at once without touching the loop, leaving the abandoned call to the hung handler.
 */
final class EventLoop {

    static final long DECIDING = 1, LOOP = 2, WATCHDOG = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final long WAKEUP_COOKIE = 0; // tree sequence numbers start at 1

    private final String name;
    private final Epoll epoll;
    private final EventFd wakeup;
    private final Epoll.Events events = new Epoll.Events(256);
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** The owning thread only (a replacement thread takes over after a happens-before edge). */
    private final Registrations registered = new Registrations();
    private final SyscallCatalog catalog;
    private final Decider decider;
    private final Responder responder;
    private final LongAdder notifications;
    private int generation; // threads started; the starting thread only
    private long sequence; // the owning thread only

    /** What the watchdog reads: see the class comment. */
    final AtomicLong state = new AtomicLong();
    volatile long since;
    /** The call this loop receives into; replaced only by {@link #takeOver}. */
    volatile PendingCall call;
    volatile Thread thread;
    /** The last thread the watchdog took a hung call from. */
    private volatile Thread abandoned;
    private volatile boolean running = true;

    EventLoop(String name, SyscallCatalog catalog, Decider decider, Responder responder, LongAdder notifications)
            throws NativeException {
        this.name = name;
        this.catalog = catalog;
        this.decider = decider;
        this.responder = responder;
        this.notifications = notifications;
        this.call = new PendingCall();
        this.epoll = Epoll.create();
        boolean success = false;
        try {
            this.wakeup = EventFd.create(0, EventFd.NONBLOCK);
            epoll.add(wakeup, Epoll.IN, WAKEUP_COOKIE);
            success = true;
        } finally {
            if (!success) {
                epoll.close();
            }
        }
    }

    /** Starts the loop's (first or replacement) thread. */
    void start() {
        Thread t = new Thread(this::run, name + (generation++ == 0 ? "" : "-" + generation));
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Watches {@code tree}'s listener from the loop's thread; a failure ends the tree. */
    void register(Tree tree) {
        submit(() -> {
            try {
                epoll.add(tree.listener, Epoll.IN, tree.sequence);
                registered.put(tree);
            } catch (NativeException | RuntimeException e) {
                LOG.warn("{}: cannot watch its listener ({}); the tree ends", tree, e.getMessage());
                tree.end();
            }
        });
    }

    private void submit(Runnable command) {
        commands.add(command);
        try {
            wakeup.signal(1);
        } catch (NativeException e) {
            throw new IllegalStateException("cannot wake " + name + ": " + e.getMessage(), e);
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (!turn()) {
                        return; // the watchdog took the call over: a replacement thread owns the loop now
                    }
                } catch (RuntimeException e) {
                    LOG.error("{}: unexpected failure; going on", name, e); // not on the hot path: a bug
                }
            }
        } catch (NativeException | Error e) {
            if (running) {
                LOG.error("{} failed; its trees are no longer supervised", name, e);
                registered.forEach(Tree::end);
            }
        }
    }

    /** One epoll_wait and what it reported; false when this thread no longer owns the loop. */
    private boolean turn() throws NativeException {
        int n = epoll.wait(events, -1);
        for (int i = 0; i < n; i++) {
            long cookie = events.cookie(i);
            if (cookie == WAKEUP_COOKIE) {
                wakeup.drain();
                runCommands();
                continue;
            }
            Tree tree = registered.get(cookie);
            if (tree == null) {
                continue; // ended earlier in this batch
            }
            int ready = events.events(i);
            if ((ready & (Epoll.HUP | Epoll.ERR)) != 0) {
                end(tree);
            } else if ((ready & Epoll.IN) != 0 && !handle(tree)) {
                return false;
            }
        }
        return true;
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    /**
     * RECV, decide, SEND: one notification, on this thread. False when the watchdog took the call
     * over meanwhile: this thread must then leave the loop without touching it.
     */
    private boolean handle(Tree tree) {
        PendingCall call = this.call;
        try {
            tree.listener.receive(call.notification);
        } catch (org.attenuator.linux.TargetGoneException e) {
            tree.counters.targetGone.increment();
            return true;
        } catch (NativeException e) {
            tree.counters.errors.increment();
            if (tree.errorLog.allow()) {
                LOG.warn("{}: {}", tree, e.getMessage());
            }
            return true;
        }
        call.tree = tree;
        long tag = 0;
        try {
            call.recorder = tree.recorder; // custody (fallback keeper)
            call.recorded = call.recorder.received(call.notification.id(), call.notification.nr(),
                    call.notification.arch(), call.notification.pid());
            call.syscall = catalog.resolve(call.notification.arch(), call.notification.nr());
            call.maybeLauncherExec = tree.takeLauncherExecTurn();
            tree.counters.notifications.increment();
            notifications.increment();
            tag = ++sequence << 2;
            since = System.nanoTime();
            state.set(tag | DECIDING);
            if (!decideAndAnswer(call, tag)) {
                return false;
            }
            call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
        } catch (RuntimeException e) {
            // a failure outside the handlers (a recorder, an observer): the call must not stay unanswered
            if (tag != 0 && !state.compareAndSet(tag | DECIDING, tag | LOOP) && state.get() == (tag | WATCHDOG)) {
                return false;
            }
            tree.counters.errors.increment();
            LOG.error("{}: handling a notification of pid {} failed; answering EPERM", tree, call.pid(), e);
            Responder.answerEperm(call); // ENOENT, ignored, if it was answered already
            call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
        }
        call.clear();
        return true;
    }

    /** False when the watchdog took the call over meanwhile (nothing was done). */
    private boolean decideAndAnswer(PendingCall call, long tag) {
        Tree tree = call.tree;
        try {
            decider.decide(call);
        } catch (TargetGoneException e) {
            if (!state.compareAndSet(tag | DECIDING, tag | LOOP)) {
                return false;
            }
            tree.counters.targetGone.increment();
            return true;
        } catch (RuntimeException e) {
            if (!state.compareAndSet(tag | DECIDING, tag | LOOP)) {
                return false;
            }
            tree.counters.errors.increment();
            LOG.error("{}: deciding {} of pid {} failed; answering EPERM", tree, call.syscall, call.pid(), e);
            Responder.answerEperm(call);
            return true;
        }
        if (!state.compareAndSet(tag | DECIDING, tag | LOOP)) {
            return false;
        }
        responder.answer(call);
        return true;
    }

    /**
     * The watchdog won the compare-and-set for the loop's call, which it answered already: gives
     * the loop a fresh call and a replacement thread (unless closing), and interrupts the stuck
     * one. Watchdog thread only.
     */
    void takeOver(boolean replace) throws NativeException {
        Thread stuck = thread;
        abandoned = stuck;
        if (replace) {
            call = new PendingCall(); // the abandoned call stays with its hung handler
            start();
        }
        stuck.interrupt();
    }

    /** Stops the loop once its thread comes round (a thread in a handler finishes its call first). */
    void stop() {
        running = false;
        try {
            wakeup.signal(1);
        } catch (NativeException e) {
            LOG.debug("{}: {}", name, e.getMessage());
        }
    }

    /**
     * After {@link #stop()}: waits until {@code deadlineNanos} for the loop's thread (or its
     * replacement) to exit; a thread the watchdog took a hung call from is left to its handler.
     */
    void join(long deadlineNanos) throws InterruptedException {
        while (true) {
            Thread t = thread;
            if (!t.isAlive() || t == abandoned) {
                if (thread == t) {
                    return;
                }
                continue; // replaced meanwhile
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            t.join(Math.max(1, Math.min(10, left / 1_000_000)));
        }
    }

    /** After {@link #stop()} and {@link #join}: the trees still registered are the supervisor's to end. */
    void closeFds() {
        try {
            wakeup.close();
            epoll.close();
        } catch (NativeException e) {
            LOG.warn("closing {}: {}", name, e.getMessage());
        }
    }

    private void end(Tree tree) {
        registered.remove(tree.sequence);
        try {
            epoll.delete(tree.listener);
        } catch (NativeException e) {
            LOG.debug("{}: {}", tree, e.getMessage());
        }
        tree.end();
    }

    @Override
    public String toString() {
        return name;
    }
}
