package org.attenuator.core.spi;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.attenuator.linux.Fd;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps copies of the supervisor's listeners outside the supervisor's process, so that the
 * workload is answered (instead of getting ENOSYS from the kernel) when the supervisor dies, and a
 * restarted supervisor can take its trees back (DESIGN.md, "Fallback and restart"). A whiteboard
 * service; the supervisor uses at most one (the highest ranked).
 *
 * <p>The supervisor calls {@link #adopted} for each tree before the tree's first notification is
 * received, then {@link #awaitHeld}, and receives none of the tree's notifications before that
 * returned: a supervisor killed at any moment after it leaves the listener with the custodian, so
 * the tree never sees ENOSYS. When a custodian appears it calls {@link #adopted} for every tree it
 * already supervises. It calls {@link #ended} once the last process of a tree exited. It does
 * <em>not</em> call {@code ended} when the supervisor itself stops: those trees stay in the
 * custodian's care. {@link #keep} takes a listener that no supervisor reads at all.
 */
@ConsumerType
public interface ListenerCustodian {

    /**
     * Tree property (String): the custodian's own name for a tree, set on trees it hands back to a
     * restarted supervisor, so it recognizes them in {@link #adopted}.
     */
    String CUSTODY_ID = "custody.id";

    /**
     * A tree is supervised from now on. Must return quickly (no waiting on other processes).
     *
     * @param tree the tree as adopted (id, pid, properties, policy)
     * @param listener a copy of the tree's listener, owned by the custodian from now on
     * @return where the supervisor records the tree's notifications between receiving and
     *     answering them, or {@link InFlightRecorder#NONE}
     */
    InFlightRecorder adopted(TreeStatus tree, Fd listener);

    /**
     * Returns once the custodian holds the tree's listener where this process's death cannot take it
     * (for the keeper: the listener went out on its socket, which it reads to the end even after this
     * process died). Blocks for a bounded time (a keeper being started); a tree the custodian was not
     * told of, or ended, returns at once.
     *
     * @throws IOException the listener is not held (no keeper reachable, or it refused the tree),
     *     with the reason in the message; the custodian goes on trying in the background. The
     *     supervisor refuses a tree that has not started yet (a launch waiting for its exec) and
     *     supervises one that runs already, with a warning line
     */
    void awaitHeld(String treeId) throws IOException;

    /**
     * Hands over a listener that no supervisor will read (a kernel-only launch whose exec is
     * notified): the custodian answers each of its notifications with the decision {@code answers}
     * has for that syscall (else its undecided one), from now on and after this process exits.
     * Returns once the listener is held (as {@link #awaitHeld}).
     *
     * @param name a name for logs and the custodian's id
     * @param pid the process that installed the filter
     * @param listener the listener; the custodian takes a copy, the caller still closes it
     * @throws IOException it is not held (no keeper reachable, or it refused): the caller must
     *     not let the target run, its notified calls would fail with ENOSYS
     */
    void keep(String name, long pid, TreePolicy answers, Fd listener) throws IOException;

    /** The tree's last process exited: its listener will not be needed again. */
    void ended(String treeId);

    /**
     * The agent's socket: the custodian may accept its connections itself, holding every listener
     * sent on one before it hands the connection to the intake (see {@link IntakeCustody}).
     *
     * @param server the listening socket; the custodian takes a copy, the caller still closes it
     * @param allowedUids the peers besides root whose listeners the intake adopts
     * @param handoff where the connections go
     * @return the hold, or empty if this custodian does not hold intakes (the intake accepts on its own)
     * @since 1.0.0
     */
    default Optional<IntakeCustody> holdIntake(Fd server, Set<Integer> allowedUids, IntakeCustody.Handoff handoff) {
        return Optional.empty();
    }
}
