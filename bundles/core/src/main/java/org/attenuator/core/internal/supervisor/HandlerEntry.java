package org.attenuator.core.internal.supervisor;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.HandlerStatus;
import org.osgi.framework.Filter;

/**
 * One accepted handler service with what the chain needs to call it: its order, its targeting and
 * its fault count. Immutable but for the counter, which survives re-registration (modified).
 */
final class HandlerEntry implements Comparable<HandlerEntry> {

    final long serviceId;
    final int ranking;
    final String name;
    final SyscallHandler handler;
    /** Null: every tree. */
    private final Filter target;
    /** Null: every syscall. */
    private final Set<String> syscalls;
    final LongAdder faults;
    /** The service properties, for a tree policy's handler filter. */
    final Map<String, Object> properties;
    final LogThrottle faultLog = new LogThrottle();
    /** Calls of this registration the watchdog gave up on; reset by re-registration. */
    final java.util.concurrent.atomic.AtomicInteger hangs = new java.util.concurrent.atomic.AtomicInteger();

    HandlerEntry(long serviceId, int ranking, String name, SyscallHandler handler, Filter target,
            Set<String> syscalls, LongAdder faults, Map<String, ?> properties) {
        this.serviceId = serviceId;
        this.ranking = ranking;
        this.name = name;
        this.handler = handler;
        this.target = target;
        this.syscalls = syscalls;
        this.faults = faults;
        this.properties = Map.copyOf(properties);
    }

    boolean targets(Map<String, ?> treeProperties) {
        return target == null || target.matches(treeProperties);
    }

    boolean wants(String syscall) {
        return syscalls == null || syscalls.contains(syscall);
    }

    HandlerStatus status() {
        return new HandlerStatus(serviceId, name, ranking, Optional.ofNullable(target).map(Filter::toString),
                syscalls == null ? Set.of() : syscalls, faults.sum(), Optional.empty());
    }

    /** Highest ranking first, then the oldest service (lowest id), as OSGi orders services. */
    @Override
    public int compareTo(HandlerEntry o) {
        int byRanking = Integer.compare(o.ranking, ranking);
        return byRanking != 0 ? byRanking : Long.compare(serviceId, o.serviceId);
    }
}
