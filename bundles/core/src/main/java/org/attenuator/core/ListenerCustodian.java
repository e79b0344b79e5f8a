package org.attenuator.core;

import org.attenuator.linux.Fd;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps copies of the supervisor's listeners outside the supervisor's process, so that the
 * workload is answered (instead of getting ENOSYS from the kernel) when the supervisor dies, and a
 * restarted supervisor can take its trees back (DESIGN.md, "Fallback and restart"). A whiteboard
 * service; the supervisor uses at most one (the highest ranked).
 *
 * <p>The supervisor calls {@link #adopted} for each tree before the tree's first notification is
 * received, and, when a custodian appears, for every tree it already supervises. It calls
 * {@link #ended} once the last process of a tree exited. It does <em>not</em> call {@code ended}
 * when the supervisor itself stops: those trees stay in the custodian's care.
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

    /** The tree's last process exited: its listener will not be needed again. */
    void ended(String treeId);
}
