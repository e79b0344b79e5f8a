package org.attenuator.core.internal.supervisor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.HandlerStatus;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler whiteboard: accepts or rejects each {@link SyscallHandler} service by its properties,
 * keyed by {@code service.id}, and publishes a new {@link HandlerChain} snapshot after each change.
 * Decides under its lock, logs outside it.
 */
final class HandlerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

    private final Object lock = new Object();
    private final Map<Long, HandlerEntry> accepted = new HashMap<>();
    private final Map<Long, HandlerStatus> rejected = new HashMap<>();
    private volatile HandlerChain chain = HandlerChain.EMPTY;

    /** The current snapshot; read it once per notification. */
    HandlerChain chain() {
        return chain;
    }

    /** A service arrived or its properties changed. */
    void put(SyscallHandler handler, Map<String, ?> properties) {
        long id = serviceId(properties);
        String name = name(handler, properties);
        int ranking = ranking(properties);
        Set<String> syscalls = syscalls(properties.get(SyscallHandler.SYSCALLS));
        Object targetProperty = properties.get(SyscallHandler.TARGET);
        Filter target = null;
        String rejection = null;
        if (targetProperty != null) {
            try {
                target = FrameworkUtil.createFilter(String.valueOf(targetProperty));
            } catch (InvalidSyntaxException e) {
                rejection = SyscallHandler.TARGET + " is not a valid LDAP filter: " + e.getMessage();
            }
        }
        synchronized (lock) {
            LongAdder faults = accepted.containsKey(id) ? accepted.get(id).faults : new LongAdder();
            if (rejection == null) {
                rejected.remove(id);
                accepted.put(id, new HandlerEntry(id, ranking, name, handler, target, syscalls, faults, properties));
            } else {
                accepted.remove(id);
                rejected.put(id, new HandlerStatus(id, name, ranking, Optional.of(String.valueOf(targetProperty)),
                        syscalls == null ? Set.of() : syscalls, faults.sum(), Optional.of(rejection)));
            }
            chain = HandlerChain.of(accepted.values());
        }
        if (rejection != null) {
            LOG.warn("handler {} (service.id {}) rejected: {}", name, id, rejection);
        } else {
            LOG.debug("handler {} (service.id {}, ranking {}) in the chain", name, id, ranking);
        }
    }

    /**
     * Takes a handler out of the chain, with the reason shown by {@link #statuses()}, until its
     * service is modified or registered again (for a handler that hangs: each hang costs a thread).
     * Does nothing if that registration is no longer the one in the chain.
     */
    void quarantine(HandlerEntry entry, String reason) {
        boolean removed;
        synchronized (lock) {
            removed = accepted.get(entry.serviceId) == entry;
            if (removed) {
                accepted.remove(entry.serviceId);
                HandlerStatus s = entry.status();
                rejected.put(entry.serviceId, new HandlerStatus(s.serviceId(), s.name(), s.ranking(), s.target(),
                        s.syscalls(), s.faults(), Optional.of(reason)));
                chain = HandlerChain.of(accepted.values());
            }
        }
        if (removed) {
            LOG.error("handler {} (service.id {}) taken out of the chain: {}", entry.name, entry.serviceId, reason);
        }
    }

    /** A service went away. */
    void remove(Map<String, ?> properties) {
        long id = serviceId(properties);
        synchronized (lock) {
            rejected.remove(id);
            if (accepted.remove(id) != null) {
                chain = HandlerChain.of(accepted.values());
            }
        }
    }

    /** The chain in order, then the rejected handlers. */
    List<HandlerStatus> statuses() {
        Collection<HandlerStatus> refused;
        HandlerChain current;
        synchronized (lock) {
            current = chain;
            refused = List.copyOf(rejected.values());
        }
        List<HandlerStatus> all = new ArrayList<>();
        current.entries().forEach(e -> all.add(e.status()));
        refused.stream().sorted((a, b) -> Long.compare(a.serviceId(), b.serviceId())).forEach(all::add);
        return all;
    }

    private static long serviceId(Map<String, ?> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        if (!(id instanceof Long)) {
            throw new IllegalArgumentException("a handler registration needs a Long " + Constants.SERVICE_ID);
        }
        return (Long) id;
    }

    /** A non-Integer ranking counts as 0, as the framework does. */
    private static int ranking(Map<String, ?> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
    }

    private static String name(SyscallHandler handler, Map<String, ?> properties) {
        Object componentName = properties.get("component.name");
        return componentName != null ? componentName.toString() : handler.getClass().getName();
    }

    private static Set<String> syscalls(Object property) {
        if (property == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        if (property instanceof String s) {
            names.add(s);
        } else if (property instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (property instanceof Collection<?> c) {
            c.forEach(o -> names.add(String.valueOf(o)));
        } else {
            names.add(String.valueOf(property));
        }
        return Set.copyOf(names);
    }
}
