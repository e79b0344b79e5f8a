package org.attenuator.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Watches supervised trees off the hot path: every notification with its final decision, after the
 * answer was sent, and the trees' lifecycle. Calls come from one supervisor thread through a
 * bounded queue; a slow observer loses events (counted), it never slows a target.
 *
 * <p>The event's {@link SyscallEvent#reader()} may fail with {@link TargetGoneException} here,
 * since the target has moved on by the time an observer runs.
 */
@ConsumerType
public interface SyscallObserver {

    /**
     * A notification was answered.
     *
     * @param event the notified syscall
     * @param decision the decision sent; never {@link Decision#pass()}
     * @param decidedBy who decided: a handler's {@code component.name} or class name, or
     *     {@code "undecided"}, {@code "paused"}
     */
    void answered(SyscallEvent event, Decision decision, String decidedBy);

    /** A tree came under supervision. */
    default void treeStarted(SupervisedTree tree) {
    }

    /** A process of {@code tree} executed {@code executable}. */
    default void executed(SupervisedTree tree, long pid, String executable) {
    }

    /** The last process of {@code tree} exited; no notification of it follows. */
    default void treeEnded(SupervisedTree tree) {
    }
}
