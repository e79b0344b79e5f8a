package org.attenuator.core.internal.supervisor;

import java.time.Duration;

/**
 * How the supervisor runs.
 *
 * @param workers threads deciding notifications
 * @param handlerBudget how long one handler may take before its decision counts as pass
 * @param maxPending notifications received and not yet answered, over all trees (more wait in the kernel)
 * @param observerQueue observer events that may wait before new ones are dropped
 * @param handlerTimeout how long deciding one notification may take before the watchdog answers it
 *     with its undecided decision and replaces the worker stuck in a handler; at least the budget
 */
public record SupervisorSettings(int workers, Duration handlerBudget, int maxPending, int observerQueue,
        Duration handlerTimeout) {

    /** The hard timeout when none is given: a handler this late has hung, not merely overrun. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(1);

    public static final SupervisorSettings DEFAULTS = new SupervisorSettings(2, Duration.ofMillis(50), 256, 4096);

    public SupervisorSettings {
        check(workers >= 1 && workers <= 256, "workers must be 1..256: " + workers);
        check(!handlerBudget.isNegative() && !handlerBudget.isZero(), "handlerBudget must be positive: " + handlerBudget);
        check(maxPending >= workers, "maxPending must be at least workers: " + maxPending);
        check(observerQueue >= 1, "observerQueue must be positive: " + observerQueue);
        check(handlerTimeout.compareTo(handlerBudget) >= 0,
                "handlerTimeout must be at least handlerBudget: " + handlerTimeout + " < " + handlerBudget);
    }

    /** With the hard timeout {@link #DEFAULT_HANDLER_TIMEOUT} (or the budget, if longer). */
    public SupervisorSettings(int workers, Duration handlerBudget, int maxPending, int observerQueue) {
        this(workers, handlerBudget, maxPending, observerQueue,
                handlerBudget.compareTo(DEFAULT_HANDLER_TIMEOUT) > 0 ? handlerBudget : DEFAULT_HANDLER_TIMEOUT);
    }

    public SupervisorSettings withWorkers(int count) {
        return new SupervisorSettings(count, handlerBudget, Math.max(maxPending, count), observerQueue, handlerTimeout);
    }

    public SupervisorSettings withHandlerTimeout(Duration timeout) {
        return new SupervisorSettings(workers, handlerBudget, maxPending, observerQueue, timeout);
    }

    private static void check(boolean ok, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(reason);
        }
    }
}
