package org.attenuator.bpf.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
        Set<Node> seen = new HashSet<>();
        // an explicit stack, not recursion: a chain of thousands of argument tests is as deep
        Deque<Node> path = new ArrayDeque<>();
        Deque<Integer> nextChild = new ArrayDeque<>();  // per node on the path: 0 true branch, 1 false, 2 done
        if (root != null && seen.add(root)) {
            path.push(root);
            nextChild.push(0);
        }
        while (!path.isEmpty()) {
            Node node = path.peek();
            int child = nextChild.pop();
            if (child == 2) {
                path.pop();
                postorder.add(node);
                continue;
            }
            nextChild.push(child + 1);
            Node successor = child == 0 ? node.ifTrue : node.ifFalse;
            if (successor != null && seen.add(successor)) {
                path.push(successor);
                nextChild.push(0);
            }
        }
        Collections.reverse(postorder);
        return postorder;
    }
}
