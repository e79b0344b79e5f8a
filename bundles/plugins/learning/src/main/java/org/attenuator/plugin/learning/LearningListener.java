package org.attenuator.plugin.learning;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Watches learning runs, for example to show a run's progress. Register it as an OSGi service
 * (whiteboard); the learning handler calls it from its own thread, never from the hot path, in the
 * order things happened for one tree. Keep it short; an exception is logged and ignored.
 */
@ConsumerType
public interface LearningListener {

    /**
     * A learning run began for a tree.
     *
     * @param learnedSoFar what the store held under {@code key} when the run began, if anything
     */
    default void started(String key, String treeId, Optional<LearnedProfile> learnedSoFar) {
    }

    /** The run saw a syscall (with these argument values) that the store did not hold when it began. */
    void learned(String key, String treeId, LearnedSyscall syscall);

    /** The run's tree ended and what it learned was merged into the store. */
    default void ended(String key, String treeId, MergeResult result) {
    }

    /**
     * {@link #ended(String, String, MergeResult)} with the number of calls the run notified to the
     * learning handler: every call on a first run, only what was new to the key on a repeat run
     * (what it learned before is allowed in the kernel). Calls the 3-argument form unless overridden.
     *
     * @since 1.2.0
     */
    default void ended(String key, String treeId, MergeResult result, long notifiedCalls) {
        ended(key, treeId, result);
    }
}
