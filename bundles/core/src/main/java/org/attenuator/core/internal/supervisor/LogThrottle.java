package org.attenuator.core.internal.supervisor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval, so a fault repeated on every notification neither
 * floods the log nor slows the hot path; the counters keep the full count.
 */
final class LogThrottle {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());

    /** True for the first caller of each interval. */
    boolean allow() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        return now - next >= 0 && nextAllowed.compareAndSet(next, now + INTERVAL_NANOS);
    }
}
