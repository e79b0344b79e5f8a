package org.attenuator.plugin.denylog.internal;

import java.util.HashMap;
import java.util.Map;

/** Names of enumerated values ({@code AF_INET}, {@code F_SETFL}); unknown values print as numbers. */
final class ValueNames {

    private final Map<Long, String> names = new HashMap<>();

    ValueNames add(String name, long value) {
        names.putIfAbsent(value, name);
        return this;
    }

    String format(long value) {
        String name = names.get(value);
        return name != null ? name : Long.toString(value);
    }
}
