package org.attenuator.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting in tests, through Awaitility: until a condition holds or a deadline passes, then an
 * assertion error that says what was awaited and what was there instead.
 */
public final class Waits {

    /** Often enough that a test waits little past the moment, rarely enough for a 2-core machine. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Waits() {
    }

    /**
     * Waits until {@code condition} holds, checking it on the caller's thread (an assertion error from
     * it fails at once); after {@code timeout}, fails with {@code what}, computed then.
     */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL).atMost(timeout)
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
        }
    }
}
