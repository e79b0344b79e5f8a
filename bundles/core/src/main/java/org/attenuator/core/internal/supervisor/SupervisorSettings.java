package org.attenuator.core.internal.supervisor;

import java.time.Duration;

/**
 * How the supervisor runs.
 *
 * @param workers event loops: threads that each receive, decide and answer the notifications of
 *     their own listeners (a tree stays on the loop it was given, round-robin, at adoption)
 * @param handlerBudget how long one handler may take before its decision counts as pass
 * @param observerQueue observer events that may wait before new ones are dropped
 * @param handlerTimeout how long deciding one notification may take before the watchdog answers it
 *     with its undecided decision and gives the loop stuck in a handler a new thread; at least the budget
 */
public record SupervisorSettings(int workers, Duration handlerBudget, int observerQueue, Duration handlerTimeout) {

    /** The hard timeout when none is given: a handler this late has hung, not merely overrun. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Event loops when none are configured: one per CPU, so busy targets on different CPUs are
     * each answered on their own CPU (with SYNC_WAKE_UP the kernel keeps a target and its loop
     * together); at most 256.
     */
    public static final int DEFAULT_WORKERS = Math.min(256, Runtime.getRuntime().availableProcessors());

    public static final SupervisorSettings DEFAULTS = new SupervisorSettings(DEFAULT_WORKERS, Duration.ofMillis(50), 4096);

    public SupervisorSettings {
        check(workers >= 1 && workers <= 256, "workers must be 1..256: " + workers);
        check(!handlerBudget.isNegative() && !handlerBudget.isZero(), "handlerBudget must be positive: " + handlerBudget);
        check(observerQueue >= 1, "observerQueue must be positive: " + observerQueue);
        check(handlerTimeout.compareTo(handlerBudget) >= 0,
                "handlerTimeout must be at least handlerBudget: " + handlerTimeout + " < " + handlerBudget);
    }

    /** With the hard timeout {@link #DEFAULT_HANDLER_TIMEOUT} (or the budget, if longer). */
    public SupervisorSettings(int workers, Duration handlerBudget, int observerQueue) {
        this(workers, handlerBudget, observerQueue,
                handlerBudget.compareTo(DEFAULT_HANDLER_TIMEOUT) > 0 ? handlerBudget : DEFAULT_HANDLER_TIMEOUT);
    }

    public SupervisorSettings withWorkers(int count) {
        return new SupervisorSettings(count, handlerBudget, observerQueue, handlerTimeout);
    }

    public SupervisorSettings withHandlerTimeout(Duration timeout) {
        return new SupervisorSettings(workers, handlerBudget, observerQueue, timeout);
    }

    private static void check(boolean ok, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(reason);
        }
    }
}
