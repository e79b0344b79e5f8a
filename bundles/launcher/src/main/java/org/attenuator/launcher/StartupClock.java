package org.attenuator.launcher;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Logs at debug how long each stage of the start took, and the time since the JVM began, so a slow
 * start can be read off {@code ATTENUATOR_LOG_LEVEL=DEBUG} without a profiler.
 */
final class StartupClock {

    private final Logger log;
    private final long jvmStartMillis = ProcessHandle.current().info().startInstant()
            .map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
    private long last = System.nanoTime();

    StartupClock(Logger log) {
        this.log = log;
        if (log.isDebugEnabled()) {
            log.debug("start: main() after {} ms", System.currentTimeMillis() - jvmStartMillis);
        }
    }

    /** Logs the stage that just ended. */
    void stage(String name) {
        long now = System.nanoTime();
        if (log.isDebugEnabled()) {
            log.debug("start: {} in {} ms ({} ms since the JVM began)", name,
                    TimeUnit.NANOSECONDS.toMillis(now - last), System.currentTimeMillis() - jvmStartMillis);
        }
        last = now;
    }
}
