package org.attenuator.core.internal.supervisor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.InFlightRecorder;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised tree: its listener (owned), its pidfd, its live settings (policy, pause, apply
 * point) and counters. The listener is closed when the tree ends: on HUP, by its event loop, which
 * then holds no call of the tree (a call the watchdog took over was answered before the loop got
 * its next thread), or at shutdown once the loops stopped; so nothing answers on a closed (and
 * maybe reused) fd number.
 */
final class Tree implements SupervisedTree {

    private static final Logger LOG = LoggerFactory.getLogger(Tree.class);

    private final String id;
    final long sequence;
    private final long pid;
    private final Map<String, Object> properties;
    final NotifyListener listener;
    /** Null when the process was gone before adoption; the tree then ends at its first HUP. */
    private final Pidfd pidfd;
    final TreeCounters counters = new TreeCounters();
    final LogThrottle errorLog = new LogThrottle();
    private final AtomicBoolean awaitingLauncherExec;

    private volatile TreePolicy policy;
    private volatile Decision pausedWith;
    private volatile boolean applyPointReached;
    private volatile TreeHandlers handlers = new TreeHandlers(null, null, new HandlerEntry[0]);

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<Tree> onClosed;

    /** Whether, and to which custodian, this tree was reported; changed by {@link Custody} only. */
    final AtomicReference<CustodyState> custody = new AtomicReference<>(CustodyState.Mark.UNREPORTED);
    /** Where its notifications are recorded between RECV and SEND (the custodian's, or NONE). */
    volatile InFlightRecorder recorder = InFlightRecorder.NONE;

    /** The handlers of one chain snapshot that target this tree. */
    private record TreeHandlers(HandlerChain chain, TreePolicy policy, HandlerEntry[] entries) {
    }

    Tree(long sequence, TreeSpec spec, NotifyListener listener, Pidfd pidfd, Consumer<Tree> onClosed) {
        this.id = "t" + sequence;
        this.sequence = sequence;
        this.pid = spec.pid();
        Map<String, Object> props = new HashMap<>(spec.properties());
        props.put(ID, id);
        props.put(PID, pid);
        this.properties = Map.copyOf(props);
        this.listener = listener;
        this.pidfd = pidfd;
        this.policy = spec.policy();
        this.awaitingLauncherExec = new AtomicBoolean(spec.launcherExec());
        this.onClosed = onClosed;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }

    Optional<Pidfd> pidfd() {
        return Optional.ofNullable(pidfd);
    }

    TreePolicy policy() {
        return policy;
    }

    void swapPolicy(TreePolicy newPolicy) {
        policy = newPolicy;
    }

    /** The decision answered while paused, or null. */
    Decision pausedWith() {
        return pausedWith;
    }

    void pause(Decision answer) {
        pausedWith = answer;
    }

    void resume() {
        pausedWith = null;
    }

    /**
     * The phase a notification of {@code syscall} runs in under {@code current}: the first trigger
     * of the apply point moves the tree to RUN for good (the trigger itself included).
     */
    Phase phaseFor(String syscall, TreePolicy current) {
        if (!current.hasApplyPoint() || applyPointReached) {
            return Phase.RUN;
        }
        if (current.applyPoint().contains(syscall)) {
            applyPointReached = true;
            return Phase.RUN;
        }
        return Phase.INIT;
    }

    /**
     * True exactly once, for the tree's first notification, when the tree came from the launcher:
     * that notification may be the launcher's own exec. Called by the tree's event loop only, in
     * the kernel's order.
     */
    boolean takeLauncherExecTurn() {
        return awaitingLauncherExec.get() && awaitingLauncherExec.getAndSet(false);
    }

    /**
     * The handlers of {@code chain} that target this tree and that {@code policy} admits; computed
     * once per chain snapshot and policy.
     */
    HandlerEntry[] handlersOf(HandlerChain chain, TreePolicy policy) {
        TreeHandlers cached = handlers;
        if (cached.chain() != chain || cached.policy() != policy) {
            cached = new TreeHandlers(chain, policy, chain.forTree(properties, policy));
            handlers = cached; // a racing thread (a loop's stuck one) computes the same thing: harmless
        }
        return cached.entries();
    }

    /**
     * Closes the listener and the pidfd, once: the listener reported HUP (no notification follows;
     * the tree's event loop), its registration failed, or the supervisor stops (once the loops
     * stopped; a call still held by a hung handler is answered already).
     */
    void end() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(listener);
            if (pidfd != null) {
                closeQuietly(pidfd);
            }
            onClosed.accept(this);
        }
    }

    private void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            LOG.warn("tree {}: {}", id, e.getMessage());
        }
    }

    TreeStatus status(Decision globalPause) {
        TreePolicy p = policy;
        Decision paused = pausedWith != null ? pausedWith : globalPause;
        Phase phase = p.hasApplyPoint() && !applyPointReached ? Phase.INIT : Phase.RUN;
        return new TreeStatus(id, pid, properties, p, Optional.ofNullable(paused), phase, counters.snapshot());
    }

    @Override
    public String toString() {
        return "tree " + id + " (pid " + pid + ")";
    }
}
