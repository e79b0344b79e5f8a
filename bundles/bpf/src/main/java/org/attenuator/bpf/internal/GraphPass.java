package org.attenuator.bpf.internal;

/** A transformation of a program graph that keeps its meaning; run to a fixpoint. */
interface GraphPass {

    /** The transformed graph, built with {@code nodes}; the same root when nothing changed. */
    Node run(Node root, NodeFactory nodes);
}
