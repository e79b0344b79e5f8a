package org.attenuator.launcher;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Logs at debug how long each stage of the start took (wall clock and the CPU time of the thread
 * that runs the start), and the JVM's uptime, so a slow start can be read off
 * {@code ATTENUATOR_LOG_LEVEL=DEBUG} without a profiler. The JVM's own clocks, not the process's
 * start time from {@code /proc}, which the kernel gives in whole seconds since boot: up to a second
 * off. Without debug it reads no clock (the management beans cost a few ms to load).
 */
final class StartupClock {

    private final Logger log;
    private final RuntimeMXBean runtime;
    private final ThreadMXBean threads;
    private long lastWall;
    private long lastCpu;

    StartupClock(Logger log) {
        this.log = log;
        boolean on = log.isDebugEnabled();
        this.runtime = on ? ManagementFactory.getRuntimeMXBean() : null;
        this.threads = on ? ManagementFactory.getThreadMXBean() : null;
        if (on) {
            lastWall = System.nanoTime();
            lastCpu = threads.getCurrentThreadCpuTime();
            log.debug("start: main() after {} ms (JVM uptime; logging configured, {} ms CPU on this thread)",
                    runtime.getUptime(), TimeUnit.NANOSECONDS.toMillis(lastCpu));
        }
    }

    /** Logs the stage that just ended. */
    void stage(String name) {
        if (runtime == null) {
            return;
        }
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        log.debug("start: {} in {} ms, {} ms CPU on this thread (JVM uptime {} ms)", name,
                TimeUnit.NANOSECONDS.toMillis(wall - lastWall), TimeUnit.NANOSECONDS.toMillis(cpu - lastCpu),
                runtime.getUptime());
        lastWall = wall;
        lastCpu = cpu;
    }
}
