package org.attenuator.core;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.core.spi.TreeAdopter;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Supervises process trees through their seccomp listeners: multiplexes the listeners, runs the
 * handler chain (the {@link org.attenuator.api.SyscallHandler} services) on each notification and
 * answers it, with live control over each tree. One service per framework; it adopts trees as
 * {@link TreeAdopter} (registered as that service too), agent sockets are opened by {@link Intakes}.
 */
@ProviderType
public interface Supervisor extends TreeAdopter {

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
}
