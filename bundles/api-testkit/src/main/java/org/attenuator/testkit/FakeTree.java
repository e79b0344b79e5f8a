package org.attenuator.testkit;

import java.util.HashMap;
import java.util.Map;
import org.attenuator.api.SupervisedTree;

/**
 * A supervised tree as a handler sees it, made by hand: its id, its root pid and its properties
 * (the keys of {@link SupervisedTree}: {@code tree.*}, {@code meta.*}, {@code annotation.*}, and
 * whatever a launch adds).
 */
public record FakeTree(String id, long pid, Map<String, Object> properties) implements SupervisedTree {

    public FakeTree {
        properties = Map.copyOf(properties);
    }

    /** A tree with only the properties every tree has: {@link #ID} and {@link #PID}. */
    public static FakeTree of(String id, long pid) {
        return new FakeTree(id, pid, Map.of(ID, id, PID, pid));
    }

    /** This tree with one more property (or {@code key} replaced). */
    public FakeTree with(String key, Object value) {
        Map<String, Object> more = new HashMap<>(properties);
        more.put(key, value);
        return new FakeTree(id, pid, more);
    }
}
