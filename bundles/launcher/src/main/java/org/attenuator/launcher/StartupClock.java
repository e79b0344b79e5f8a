package org.attenuator.launcher;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Logs at debug how long each stage of the start took (wall clock, the CPU time of the thread that
 * runs the start and that of the whole JVM), and the JVM's uptime, so a slow start can be read off
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
    private long lastProcessCpu;

    StartupClock(Logger log) {
        this.log = log;
        boolean on = log.isDebugEnabled();
        this.runtime = on ? ManagementFactory.getRuntimeMXBean() : null;
        this.threads = on ? ManagementFactory.getThreadMXBean() : null;
        if (on) {
            lastWall = System.nanoTime();
            lastCpu = threads.getCurrentThreadCpuTime();
            lastProcessCpu = processCpuMillis();
            log.debug("start: main() after {} ms (JVM uptime; logging configured, {} ms CPU on this thread, {} ms in all)",
                    runtime.getUptime(), TimeUnit.NANOSECONDS.toMillis(lastCpu), lastProcessCpu);
        }
    }

    /** Logs the stage that just ended. */
    void stage(String name) {
        if (runtime == null) {
            return;
        }
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        long processCpu = processCpuMillis();
        log.debug("start: {} in {} ms, {} ms CPU on this thread, {} ms in all (JVM uptime {} ms)", name,
                TimeUnit.NANOSECONDS.toMillis(wall - lastWall), TimeUnit.NANOSECONDS.toMillis(cpu - lastCpu),
                processCpu - lastProcessCpu, runtime.getUptime());
        lastWall = wall;
        lastCpu = cpu;
        lastProcessCpu = processCpu;
    }

    /** User + system time of every thread of the JVM (the compilers', the framework's), in the kernel's 10 ms steps. */
    private static long processCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
    }
}
