package org.attenuator.core.internal.intake;

import java.util.HashMap;
import java.util.Map;

/**
 * What one uid's connections may hold at a time: open connections and bytes of messages still
 * on their way. One uid filling its share does not hold back another's. Intake thread only.
 */
final class UidBudget {

    private final int maxConnections;
    private final long maxBytes;
    private final Map<Integer, Integer> connections = new HashMap<>();
    private final Map<Integer, Long> bytes = new HashMap<>();

    UidBudget(int maxConnections, long maxBytes) {
        this.maxConnections = maxConnections;
        this.maxBytes = maxBytes;
    }

    /** Counts a new connection of {@code uid}; false (nothing counted) if it has its maximum open. */
    boolean open(int uid) {
        int open = connections.getOrDefault(uid, 0);
        if (open >= maxConnections) {
            return false;
        }
        connections.put(uid, open + 1);
        return true;
    }

    /** A connection of {@code uid} that held {@code held} bytes is gone. */
    void close(int uid, int held) {
        connections.computeIfPresent(uid, (u, n) -> n > 1 ? n - 1 : null);
        grow(uid, -held);
    }

    /** {@code uid}'s connections hold {@code delta} more bytes; false if that is over its share. */
    boolean grow(int uid, long delta) {
        long now = bytes.merge(uid, delta, Long::sum);
        if (now <= 0) {
            bytes.remove(uid);
        }
        return now <= maxBytes;
    }

    int maxConnections() {
        return maxConnections;
    }

    long maxBytes() {
        return maxBytes;
    }
}
