package org.attenuator.api;

import java.util.EnumSet;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Watches supervised trees off the hot path: every notification with its final decision, after the
 * answer was sent, and the trees' lifecycle. Calls come from one supervisor thread through a
 * bounded queue; a slow observer loses events (counted), it never slows a target.
 *
 * <p>The event's {@link SyscallEvent#reader()} may fail with {@link TargetGoneException} here,
 * since the target has moved on by the time an observer runs. For denied, killed and audited
 * calls the supervisor gives a best-effort reader: it reads the calling thread's memory after the
 * answer, as long as that thread is still the same one (same start time); what it returns may have
 * changed since the call and is for logging only, never for a decision.
 */
@ConsumerType
public interface SyscallObserver {

    /**
     * A notification was answered.
     *
     * @param event the notified syscall
     * @param decision the decision sent; never {@link Decision#pass()}
     * @param decidedBy who decided: a handler's {@code component.name} or class name, or one of
     *     {@link DecidedBy} ({@code "undecided"}, {@code "paused"}, {@code "timeout"},
     *     {@code "launcher"}, or {@code "profile"} for a denial of the profile's filter the
     *     supervisor answers in the kernel's place)
     */
    void answered(SyscallEvent event, Decision decision, String decidedBy);

    /**
     * The kinds of decision this observer wants {@link #answered} for; the supervisor hands it no
     * others. A call that no observer wants costs its target nothing after the answer (otherwise each
     * one is copied and wakes the observers' thread), so an observer of denials should say so.
     * Asked once, when the observer is bound. {@link #audited} and the lifecycle events come
     * whatever this says.
     *
     * @return the kinds to observe; the default is every kind
     * @since 1.3
     */
    default Set<Decision.Kind> answeredKinds() {
        return EnumSet.allOf(Decision.Kind.class);
    }

    /**
     * Audit ("complain") mode: the tree has property {@link SupervisedTree#AUDIT} {@code =true}, so the supervisor
     * allowed {@code event} although the chain (or the tree's policy) decided {@code wouldBe}, a
     * deny or kill. Called after {@link #answered} (which reports the allow actually sent).
     *
     * @param wouldBe the decision that was not sent: {@link Decision.Kind#DENY} or {@link Decision.Kind#KILL}
     * @param decidedBy who decided it, as in {@link #answered}
     * @since 1.1.0
     */
    default void audited(SyscallEvent event, Decision wouldBe, String decidedBy) {
    }

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
