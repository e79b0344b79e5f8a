package org.attenuator.plugin.denylog.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} entries per tree and syscall in each one-second window; the rest are
 * counted, and the count is handed to the next entry that passes (or to a summary at the tree's end).
 */
final class RateLimiter {

    /** What {@link #acquire} says: log or not, and how many were dropped before this one. */
    record Permit(boolean granted, long droppedBefore) {
        static final Permit DENIED = new Permit(false, 0);
    }

    /** A summary of what was dropped for one tree and syscall. */
    record Dropped(String tree, String syscall, long count) {
    }

    private record Key(String tree, String syscall) {
    }

    private static final class Bucket {
        long window;
        int count;
        long dropped;
    }

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond entries per tree and syscall and second; 0 for no limit */
    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    Permit acquire(String tree, String syscall) {
        if (perSecond <= 0) {
            return new Permit(true, 0);
        }
        Bucket b = buckets.computeIfAbsent(new Key(tree, syscall), k -> new Bucket());
        long window = nanoTime.getAsLong() / 1_000_000_000L;
        synchronized (b) {
            if (b.window != window) {
                b.window = window;
                b.count = 0;
            }
            if (b.count >= perSecond) {
                b.dropped++;
                return Permit.DENIED;
            }
            b.count++;
            long dropped = b.dropped;
            b.dropped = 0;
            return new Permit(true, dropped);
        }
    }

    /** Forgets a tree; returns what was dropped for it and not yet reported. */
    List<Dropped> endTree(String tree) {
        List<Dropped> result = new ArrayList<>();
        buckets.entrySet().removeIf(e -> {
            if (!e.getKey().tree().equals(tree)) {
                return false;
            }
            synchronized (e.getValue()) {
                if (e.getValue().dropped > 0) {
                    result.add(new Dropped(tree, e.getKey().syscall(), e.getValue().dropped));
                }
            }
            return true;
        });
        return result;
    }

    /** Everything dropped and not yet reported, for every tree (at shutdown). */
    List<Dropped> drainAll() {
        List<Dropped> result = new ArrayList<>();
        buckets.forEach((k, b) -> {
            synchronized (b) {
                if (b.dropped > 0) {
                    result.add(new Dropped(k.tree(), k.syscall(), b.dropped));
                    b.dropped = 0;
                }
            }
        });
        return result;
    }
}
