package org.attenuator.core.internal.supervisor;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.Errno;
import org.attenuator.linux.EventFd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.ThreadInterrupter;
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
 * <p><b>One listener.</b> While the loop has a single tree it skips epoll: its thread blocks in that
 * listener's RECV, as a C loop for one target does (epoll_wait in front costs a tenth of a round
 * trip), and the listener leaves the epoll set: an epoll watching it is called back by the kernel
 * at every notification and every RECV, a cost on each round trip the C loop does not pay. Nothing
 * but a signal ends a blocked RECV, so whoever queues a command, or stops the loop, interrupts it
 * with the JDK's own interrupt signal ({@link ThreadInterrupter}) until the thread shows it is
 * out; the loop then takes the epoll path once, which runs the commands (the eventfd is always in
 * the set). When the tree's last task exits, RECV returns by itself from Linux 6.11 on; before
 * that the watchdog finds the hangup ({@link #interruptIfHungUp}) and interrupts it; either way
 * the loop asks the listener itself ({@link NotifyListener#hungUp}) and ends the tree. A second
 * tree puts the first one's listener back into the set. Without the JDK's signal handler the loop
 * always uses epoll, with every listener in the set.
 *
 * <p><b>Hung handlers.</b> Whether the loop or the watchdog answers the call being decided is the
 * {@link DecidingSlot}'s to say. A loop whose handler overran the hard timeout is taken over by
 * the watchdog ({@link #takeOver}): it answers the call with the undecided decision (see
 * {@link EventLoops}), gives the loop a fresh call and starts a replacement thread on the same
 * epoll set and listeners. The stuck thread, when (if) its handler returns, sees it lost and
 * returns at once without touching the loop, leaving the abandoned call to the hung handler.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final long WAKEUP_COOKIE = 0; // tree sequence numbers start at 1
    private static final long FIRST_INTERRUPT_PAUSE_NANOS = 10_000, LAST_INTERRUPT_PAUSE_NANOS = 1_000_000,
            INTERRUPT_PATIENCE_NANOS = 1_000_000_000;

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
    /** Received by this loop; one writer at a time (the owning thread), so no atomic add. */
    private final AtomicLong received = new AtomicLong();
    /** Null: the loop always waits in epoll (see the class comment). */
    private final ThreadInterrupter interrupter;
    private int generation; // threads started; the starting thread only

    /**
     * The loop's only tree, or null; written by the owning thread, read by the watchdog. Its
     * listener is not in the epoll set; every other registered tree's is.
     */
    private volatile Tree single;
    /** The owning thread only: the next turn asks epoll first (commands are queued, or the loop stops). */
    private boolean epollNext;
    /** True while the owning thread is in, or about to enter, the blocking RECV of {@link #single}. */
    private final AtomicBoolean inReceive = new AtomicBoolean();
    /** The kernel id of the owning thread, for {@link #interrupter}. */
    private volatile int threadId;

    /** The call being decided and who answers it (the watchdog takes it over from there). */
    final DecidingSlot slot;
    volatile Thread thread;
    /** The last thread the watchdog took a hung call from. */
    private volatile Thread abandoned;
    private volatile boolean running = true;

    EventLoop(String name, SyscallCatalog catalog, Decider decider, Responder responder, ThreadInterrupter interrupter)
            throws NativeException {
        this.name = name;
        this.interrupter = interrupter;
        this.catalog = catalog;
        this.decider = decider;
        this.responder = responder;
        this.slot = new DecidingSlot();
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

    long received() {
        return received.get();
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
            Tree first = single;
            if (first != null) { // two trees now: the first one's listener goes back into the set
                if (watch(first)) {
                    single = null;
                } else {
                    end(first); // still the single tree: end() skips the epoll delete
                }
            }
            if (watch(tree)) {
                registered.put(tree);
            } else {
                tree.end();
            }
            settle();
        });
    }

    /** Adds the tree's listener to the epoll set; false (logged) when it cannot be, and the tree must end. */
    private boolean watch(Tree tree) {
        try {
            epoll.add(tree.listener, Epoll.IN, tree.sequence);
            return true;
        } catch (NativeException | RuntimeException e) {
            LOG.warn("{}: cannot watch its listener ({}); the tree ends", tree, e.getMessage());
            return false;
        }
    }

    /**
     * After the trees changed: when one tree is left, the thread will wait in its RECV, and its
     * listener leaves the epoll set (see the class comment).
     */
    private void settle() {
        if (interrupter == null || single != null) {
            return;
        }
        Tree only = registered.only();
        if (only == null) {
            return;
        }
        try {
            epoll.delete(only.listener);
        } catch (NativeException e) { // still watched: it costs a little per call, nothing else
            LOG.debug("{}: {}", only, e.getMessage());
        }
        single = only;
    }

    private void submit(Runnable command) {
        commands.add(command);
        try {
            wakeup.signal(1);
            interruptReceive(true);
        } catch (NativeException e) {
            throw new IllegalStateException("cannot wake " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Interrupts the owning thread's blocking RECV until it is out of it (or, for a command,
     * until the command was taken). A signal that lands just before the thread enters the ioctl
     * wakes nothing, hence the repeats, with growing pauses; for a second at most, in case
     * something took the signal's handler away (then the loop comes round at its tree's next call).
     */
    private void interruptReceive(boolean forCommand) throws NativeException {
        if (interrupter == null) {
            return;
        }
        long pause = FIRST_INTERRUPT_PAUSE_NANOS;
        long deadline = System.nanoTime() + INTERRUPT_PATIENCE_NANOS;
        while (inReceive.get() && (!forCommand || !commands.isEmpty())) {
            if (System.nanoTime() - deadline > 0) {
                LOG.error("{}: its thread does not leave RECV on signal {}; it will at its tree's next notification",
                        name, ThreadInterrupter.SIGNAL);
                return;
            }
            interrupter.interrupt(threadId);
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, LAST_INTERRUPT_PAUSE_NANOS);
        }
    }

    /**
     * Watchdog: interrupts a RECV blocked on a listener whose tree has ended, which a kernel before
     * 6.11 does not end by itself; the loop then asks the listener, finds it hung up and ends the tree.
     */
    void interruptIfHungUp() {
        Tree tree = single;
        if (tree == null || !inReceive.get()) {
            return;
        }
        try {
            if (tree.listener.hungUp() && inReceive.get()) {
                interrupter.interrupt(threadId);
            }
        } catch (NativeException e) {
            LOG.debug("{}: {}", name, e.getMessage()); // closed meanwhile: the loop went on
        }
    }

    private void run() {
        if (interrupter != null) {
            threadId = ThreadInterrupter.currentThreadId();
        }
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

    /** Waits for and handles what comes next; false when this thread no longer owns the loop. */
    private boolean turn() throws NativeException {
        Tree only = single;
        if (only != null && !epollNext) {
            return receiveBlocking(only);
        }
        epollNext = false;
        return epollTurn();
    }

    /** The loop's only listener: RECV without epoll_wait in front (see the class comment). */
    private boolean receiveBlocking(Tree tree) {
        boolean gotOne;
        inReceive.set(true); // before looking at the commands: a submitter either sees this or we see its command
        try {
            if (!commands.isEmpty() || !running) {
                epollNext = true;
                return true;
            }
            gotOne = receive(tree);
        } finally {
            inReceive.setRelease(false); // no fence: a submitter that still sees true only signals once more
        }
        if (!gotOne && hungUp(tree)) {
            end(tree); // its listener is not in the epoll set: no HUP event would tell
        }
        return !gotOne || handle(tree); // interrupted otherwise: the next turn looks at the commands again
    }

    /** One epoll_wait and what it reported; false when this thread no longer owns the loop. */
    private boolean epollTurn() throws NativeException {
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
            } else if ((ready & Epoll.IN) != 0 && receive(tree) && !handle(tree)) {
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
     * RECV into the loop's call; false when it brought nothing to decide: the caller went (counted,
     * unless the whole tree did), a signal interrupted it, or it failed (counted and logged).
     */
    private boolean receive(Tree tree) {
        try {
            tree.listener.receive(slot.call().notification);
            return true;
        } catch (org.attenuator.linux.NotificationGoneException e) {
            if (!hungUp(tree)) {
                tree.counters.targetGone.increment();
            }
        } catch (NativeException e) {
            if (e.errno() != Errno.EINTR) {
                tree.counters.errors.increment();
                if (tree.errorLog.allow()) {
                    LOG.warn("{}: {}", tree, e.getMessage());
                }
            }
        }
        return false;
    }

    private static boolean hungUp(Tree tree) {
        try {
            return tree.listener.hungUp();
        } catch (NativeException e) {
            return false;
        }
    }

    /**
     * Decide and SEND the notification just received: one notification, on this thread. False when
     * the watchdog took the call over meanwhile: this thread must then leave the loop without
     * touching it.
     */
    private boolean handle(Tree tree) {
        PendingCall call = slot.call();
        call.tree = tree;
        long ticket = 0;
        try {
            call.recorder = tree.recorder; // custody (fallback keeper)
            call.recorded = call.recorder.received(call.notification.id(), call.notification.nr(),
                    call.notification.arch(), call.notification.pid());
            call.syscall = catalog.resolve(call.notification.arch(), call.notification.nr());
            call.maybeLauncherExec = tree.takeLauncherExecTurn();
            tree.counters.notifications.increment();
            received.lazySet(received.get() + 1);
            call.handlerStart = System.nanoTime();
            ticket = slot.begin(call, call.handlerStart);
            if (!decideAndAnswer(call, ticket)) {
                return false;
            }
            call.recorder.answered(call.recorded); // custody (fallback keeper): after the answer
        } catch (RuntimeException e) {
            // a failure outside the handlers (a recorder, an observer): the call must not stay unanswered
            if (ticket != 0 && !slot.finish(ticket)) {
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
    private boolean decideAndAnswer(PendingCall call, long ticket) {
        Tree tree = call.tree;
        try {
            decider.decide(call);
        } catch (TargetGoneException e) {
            if (!slot.finish(ticket)) {
                return false;
            }
            tree.counters.targetGone.increment();
            return true;
        } catch (RuntimeException e) {
            if (!slot.finish(ticket)) {
                return false;
            }
            tree.counters.errors.increment();
            LOG.error("{}: deciding {} of pid {} failed; answering EPERM", tree, call.syscall, call.pid(), e);
            Responder.answerEperm(call);
            return true;
        }
        if (!slot.finish(ticket)) {
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
            slot.renew(); // the abandoned call stays with its hung handler
            start();
        }
        stuck.interrupt();
    }

    /** Stops the loop once its thread comes round (a thread in a handler finishes its call first). */
    void stop() {
        running = false;
        try {
            wakeup.signal(1);
            interruptReceive(false);
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
        if (single == tree) {
            single = null; // its listener is not in the set
        } else {
            try {
                epoll.delete(tree.listener);
            } catch (NativeException e) {
                LOG.debug("{}: {}", tree, e.getMessage());
            }
        }
        tree.end();
        settle();
    }

    @Override
    public String toString() {
        return name;
    }
}
