package org.attenuator.core.internal.supervisor;

import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.Decision;
import org.attenuator.core.spi.TreeStatus;

/** A tree's counters; LongAdders, so that threads (a loop and the watchdog) never contend on one cache line. */
final class TreeCounters {

    final LongAdder notifications = new LongAdder();
    final LongAdder paused = new LongAdder();
    final LongAdder targetGone = new LongAdder();
    final LongAdder handlerFaults = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final LongAdder[] answered = new LongAdder[Decision.Kind.values().length];

    TreeCounters() {
        for (int i = 0; i < answered.length; i++) {
            answered[i] = new LongAdder();
        }
    }

    void answered(Decision decision) {
        answered[decision.kind().ordinal()].increment();
    }

    TreeStatus.Counters snapshot() {
        return new TreeStatus.Counters(notifications.sum(), sum(Decision.Kind.ALLOW), sum(Decision.Kind.RESPOND),
                sum(Decision.Kind.DENY), sum(Decision.Kind.KILL), paused.sum(), targetGone.sum(),
                handlerFaults.sum(), errors.sum());
    }

    private long sum(Decision.Kind kind) {
        return answered[kind.ordinal()].sum();
    }
}
