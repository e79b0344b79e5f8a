package org.attenuator.core;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.linux.Fd;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Supervises process trees through their seccomp listeners: multiplexes the listeners, runs the
 * handler chain (the {@link org.attenuator.api.SyscallHandler} services) on each notification and
 * answers it, with live control over each tree. One service per framework.
 */
@ProviderType
public interface Supervisor {

    /**
     * Takes ownership of a seccomp listener and supervises the tree behind it until the last process
     * of that tree exits. The listener is closed by the supervisor, also when this method fails.
     *
     * @return the new tree, whose id names it in the other methods
     * @throws IOException if the supervisor cannot register the listener
     */
    SupervisedTree adopt(Fd listener, TreeSpec spec) throws IOException;

    /** Every tree under supervision now, in order of adoption. */
    List<TreeStatus> trees();

    /** The tree with that id, if it is still supervised. */
    Optional<TreeStatus> tree(String treeId);

    /**
     * Stops running the handlers for one tree: its notifications get {@code answer} until
     * {@link #resume}. A tree pause wins over a global one.
     *
     * @throws NoSuchElementException if no tree has that id
     * @throws IllegalArgumentException if {@code answer} is a pass
     */
    void pause(String treeId, Decision answer);

    /** Runs the handlers again for that tree (a global pause still holds). */
    void resume(String treeId);

    /** Pauses every tree, present and future, with {@code answer}. */
    void pauseAll(Decision answer);

    /** Ends the global pause; trees paused one by one stay paused. */
    void resumeAll();

    /**
     * Replaces a tree's policy atomically: notifications already being decided finish on the
     * policy they started with, every later one uses the new policy.
     *
     * @throws NoSuchElementException if no tree has that id
     */
    void swapPolicy(String treeId, TreePolicy policy);

    /** Every registered handler in chain order, followed by those rejected (with the reason). */
    List<HandlerStatus> handlers();

    /** Supervisor-wide counters. */
    SupervisorStats stats();

    /**
     * Starts listening for OCI seccomp agent connections (runc, crun, attenuator-exec's hand-over);
     * each valid message becomes a tree.
     *
     * @throws IOException if the socket cannot be created
     */
    Intake openIntake(IntakeSettings settings) throws IOException;
}
