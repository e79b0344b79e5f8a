package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import java.util.HashMap;
import java.util.Map;
import org.attenuator.bpf.Action;

/**
 * Makes nodes. When sharing, structurally equal nodes are made once (hash-consing), so identical
 * tails are merged as the program is built, and a jump whose branches meet is no jump at all.
 * Without sharing (the reference compilation) every call makes a new node.
 */
final class NodeFactory {

    private record Key(int code, int k, int ifTrue, int ifFalse) {
    }

    private final boolean share;
    private final Map<Key, Node> made = new HashMap<>();
    private int nextId;

    NodeFactory(boolean share) {
        this.share = share;
    }

    Node ret(Action action) {
        return make(RET | K, action.returnValue(), null, null);
    }

    Node load(int offset, Node next) {
        return make(LD | W | ABS, offset, next, null);
    }

    Node and(int mask, Node next) {
        return make(ALU | AND | K, mask, next, null);
    }

    /** A conditional jump; {@code op} is JEQ, JGT, JGE or JSET against constant {@code k}. */
    Node jump(int op, int k, Node ifTrue, Node ifFalse) {
        if (share && ifTrue == ifFalse) {
            return ifTrue;
        }
        return make(JMP | op | K, k, ifTrue, ifFalse);
    }

    /** A node like {@code original} with other successors (used by passes that rebuild graphs). */
    Node copy(Node original, Node ifTrue, Node ifFalse) {
        return original.isConditionalJump() ? jump(original.code & 0xf0, original.k, ifTrue, ifFalse)
                : make(original.code, original.k, ifTrue, ifFalse);
    }

    private Node make(int code, int k, Node ifTrue, Node ifFalse) {
        if (!share) {
            return new Node(nextId++, code, k, ifTrue, ifFalse);
        }
        Key key = new Key(code, k, ifTrue == null ? -1 : ifTrue.id, ifFalse == null ? -1 : ifFalse.id);
        return made.computeIfAbsent(key, x -> new Node(nextId++, code, k, ifTrue, ifFalse));
    }
}
