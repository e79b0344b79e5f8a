package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops a load of the word the accumulator already holds on every path into it, e.g. the second
 * "ld arg0 high" when two rules test the same argument, then rebuilds the graph through the
 * (sharing) factory so that tails which became equal merge.
 */
final class RedundantLoadElimination implements GraphPass {

    private static final int UNKNOWN = -1;

    @Override
    public Node run(Node root, NodeFactory nodes) {
        List<Node> order = Graphs.topologicalOrder(root);
        Map<Node, Integer> loadedOnEntry = new IdentityHashMap<>();
        loadedOnEntry.put(root, UNKNOWN);
        for (Node node : order) {
            int in = loadedOnEntry.get(node);
            int out = node.isLoad() ? node.k : node.code == (ALU | AND | K) ? UNKNOWN : in;
            meet(loadedOnEntry, node.ifTrue, out);
            meet(loadedOnEntry, node.ifFalse, out);
        }
        Map<Node, Node> rebuilt = new HashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            Node ifTrue = node.ifTrue == null ? null : rebuilt.get(node.ifTrue);
            Node ifFalse = node.ifFalse == null ? null : rebuilt.get(node.ifFalse);
            boolean redundant = node.isLoad() && loadedOnEntry.get(node) == node.k;
            rebuilt.put(node, redundant ? ifTrue : nodes.copy(node, ifTrue, ifFalse));
        }
        return rebuilt.get(root);
    }

    private static void meet(Map<Node, Integer> loadedOnEntry, Node successor, int loaded) {
        if (successor != null) {
            loadedOnEntry.merge(successor, loaded, (a, b) -> a.equals(b) ? a : UNKNOWN);
        }
    }
}
