package org.attenuator.bpf.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Walks over program graphs. */
final class Graphs {

    private Graphs() {
    }

    /**
     * Every node reachable from {@code root}, each before all its successors (reverse postorder).
     * Successors are visited true-branch first, so a node's false branch, or its only successor,
     * comes right after it unless placed earlier: the fall-through the assembler wants.
     */
    static List<Node> topologicalOrder(Node root) {
        List<Node> postorder = new ArrayList<>();
        visit(root, new HashSet<>(), postorder);
        Collections.reverse(postorder);
        return postorder;
    }

    private static void visit(Node node, Set<Node> seen, List<Node> postorder) {
        if (node == null || !seen.add(node)) {
            return;
        }
        visit(node.ifTrue, seen, postorder);
        visit(node.ifFalse, seen, postorder);
        postorder.add(node);
    }
}
