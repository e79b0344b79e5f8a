package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.util.Collection;
import java.util.function.Function;
import org.attenuator.core.internal.supervisor.CustodyState.Mark;
import org.attenuator.core.internal.supervisor.CustodyState.ReportedTo;
import org.attenuator.core.spi.InFlightRecorder;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of the {@link ListenerCustodian}: tells the bound custodian about each tree
 * (with a copy of its listener) and sets the tree's {@link InFlightRecorder}. Each tree remembers
 * which custodian it was reported to ({@link Tree#custody}), decided by compare-and-set, so a
 * custodian that binds while trees are adopted or end sees each tree exactly once and never
 * an {@code ended} without its {@code adopted}. No lock: calls out happen on the caller's thread.
 */
final class Custody {

    private static final Logger LOG = LoggerFactory.getLogger(Custody.class);

    private volatile ListenerCustodian custodian;

    /**
     * A new tree, before its listener is registered: returns once the custodian holds the listener,
     * so that no notification is received (and none answered) while this process is its only holder.
     *
     * @param notStarted the tree waits for its exec (a launch): refused rather than left uncovered
     * @throws IOException the custodian cannot hold a tree that has not started: it must not start
     */
    void adopted(Tree tree, TreeStatus status, boolean notStarted) throws IOException {
        ListenerCustodian c = custodian;
        if (c == null) {
            return; // no custodian: no fallback at all, which doctor reports
        }
        report(c, tree, status);
        if (!tree.custody.get().isReportedTo(c)) {
            return; // not reported: ended meanwhile, or no copy of its listener (logged)
        }
        try {
            c.awaitHeld(tree.id());
        } catch (IOException e) {
            if (notStarted) {
                throw new IOException("no keeper holds its listener (" + e.getMessage()
                        + "); not started, since a crash of this process would leave it with ENOSYS", e);
            }
            LOG.warn("{}: supervised without a keeper for now ({}); until one holds it, a crash of this process means"
                    + " ENOSYS for it", tree, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("listener custodian failed waiting for {}", tree, e);
        }
    }

    /** The custodian bound now, or null. */
    ListenerCustodian current() {
        return custodian;
    }

    /** The tree's last process exited. */
    void ended(Tree tree) {
        CustodyState before = tree.custody.getAndSet(Mark.FINISHED);
        tree.recorder = InFlightRecorder.NONE;
        if (before instanceof ReportedTo reported) {
            try {
                reported.custodian().ended(tree.id());
            } catch (RuntimeException e) {
                LOG.warn("listener custodian failed on the end of {}", tree, e);
            }
        }
    }

    /** A custodian appeared: it hears of every tree already supervised. */
    void bind(ListenerCustodian c, Collection<Tree> trees, Function<Tree, TreeStatus> status) {
        custodian = c;
        for (Tree t : trees) {
            report(c, t, status.apply(t));
        }
    }

    /** The custodian went away: the trees stop recording for it. */
    void unbind(ListenerCustodian c, Collection<Tree> trees) {
        if (custodian == c) {
            custodian = null;
        }
        for (Tree t : trees) {
            CustodyState s = t.custody.get();
            if (s.isReportedTo(c) && t.custody.compareAndSet(s, Mark.UNREPORTED)) {
                t.recorder = InFlightRecorder.NONE;
            }
        }
    }

    /** The supervisor stops: its trees stay with the custodian, which is not told they ended. */
    void close(Collection<Tree> trees) {
        custodian = null;
        for (Tree t : trees) {
            t.custody.set(Mark.FINISHED);
        }
    }

    private static void report(ListenerCustodian c, Tree tree, TreeStatus status) {
        ReportedTo reported = new ReportedTo(c);
        if (!tree.custody.compareAndSet(Mark.UNREPORTED, reported)) {
            return; // already reported, or ended
        }
        Fd copy;
        try {
            copy = tree.listener.dup();
        } catch (NativeException e) {
            LOG.warn("{}: no copy of the listener for the custodian: {}", tree, e.getMessage());
            tree.custody.compareAndSet(reported, Mark.UNREPORTED);
            return;
        }
        try {
            InFlightRecorder r = c.adopted(status, copy);
            tree.recorder = r != null ? r : InFlightRecorder.NONE;
        } catch (RuntimeException e) {
            LOG.warn("listener custodian failed on the adoption of {}", tree, e);
        }
    }
}
