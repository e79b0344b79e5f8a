package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

/**
 * One instruction of a program under construction, with its successors as nodes instead of
 * offsets (the symbolic jumps of the builder). Loads and ALU nodes continue at {@code ifTrue};
 * returns have no successor. Nodes are immutable, so a graph is a DAG shared freely.
 */
final class Node {

    final int code;
    final int k;
    final Node ifTrue;
    final Node ifFalse;
    /** Creation order; unique per factory, so it identifies the node in hash keys. */
    final int id;

    Node(int id, int code, int k, Node ifTrue, Node ifFalse) {
        this.id = id;
        this.code = code;
        this.k = k;
        this.ifTrue = ifTrue;
        this.ifFalse = ifFalse;
    }

    boolean isReturn() {
        return (code & 0x07) == RET;
    }

    boolean isConditionalJump() {
        return (code & 0x07) == JMP;
    }

    boolean isLoad() {
        return code == (LD | W | ABS);
    }

    /** The node that runs after this one when it is not a jump. */
    Node next() {
        return ifTrue;
    }
}
