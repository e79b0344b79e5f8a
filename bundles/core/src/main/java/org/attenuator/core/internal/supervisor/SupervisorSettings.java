package org.attenuator.core.internal.supervisor;

import java.time.Duration;

/**
 * How the supervisor runs.
 *
 * @param workers threads deciding notifications
 * @param handlerBudget how long one handler may take before its decision counts as pass
 * @param maxPending notifications received and not yet answered, over all trees (more wait in the kernel)
 * @param observerQueue observer events that may wait before new ones are dropped
 */
public record SupervisorSettings(int workers, Duration handlerBudget, int maxPending, int observerQueue) {

    public static final SupervisorSettings DEFAULTS = new SupervisorSettings(2, Duration.ofMillis(50), 256, 4096);

    public SupervisorSettings {
        check(workers >= 1 && workers <= 256, "workers must be 1..256: " + workers);
        check(!handlerBudget.isNegative() && !handlerBudget.isZero(), "handlerBudget must be positive: " + handlerBudget);
        check(maxPending >= workers, "maxPending must be at least workers: " + maxPending);
        check(observerQueue >= 1, "observerQueue must be positive: " + observerQueue);
    }

    public SupervisorSettings withWorkers(int count) {
        return new SupervisorSettings(count, handlerBudget, Math.max(maxPending, count), observerQueue);
    }

    private static void check(boolean ok, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(reason);
        }
    }
}
