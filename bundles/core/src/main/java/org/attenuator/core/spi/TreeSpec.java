package org.attenuator.core.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.attenuator.api.SupervisedTree;

/**
 * How to supervise a listener that is being adopted.
 *
 * @param pid the process that installed the filter
 * @param properties tree properties for handler targeting (see {@link SupervisedTree}); the
 *     supervisor adds {@link SupervisedTree#ID} and {@link SupervisedTree#PID}
 * @param policy the tree's decisions when every handler passes
 * @param launcherExec true when the listener comes from attenuator-exec: its own first execve
 *     (or execveat), if it is the tree's first notification and comes from {@code pid}, is
 *     answered CONTINUE without running handlers, and observers see it as the tree's first exec
 */
public record TreeSpec(long pid, Map<String, Object> properties, TreePolicy policy, boolean launcherExec) {

    public TreeSpec {
        properties = Map.copyOf(properties);
        Objects.requireNonNull(policy, "policy");
    }

    /** A tree handed over by an OCI runtime (or any holder of a listener) through the agent socket. */
    public static TreeSpec oci(long pid, Map<String, Object> properties, TreePolicy policy) {
        return new TreeSpec(pid, withSource(properties, "oci"), policy, false);
    }

    /** A tree started by attenuator-exec, whose first notification is the launcher's own exec. */
    public static TreeSpec launched(long pid, Map<String, Object> properties, TreePolicy policy) {
        return new TreeSpec(pid, withSource(properties, "launch"), policy, true);
    }

    private static Map<String, Object> withSource(Map<String, Object> properties, String source) {
        HashMap<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent(SupervisedTree.SOURCE, source);
        return all;
    }
}
