package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.Instruction;

/**
 * Lays a program graph out as instructions and resolves the symbolic jumps to offsets. Nodes go in
 * topological order; a load whose successor is not next gets a {@code ja}. A conditional jump
 * can reach 255 instructions: a farther return is copied next to the jump (or an identical
 * return in reach is used), any other far target gets a {@code ja} trampoline; repeated until
 * every offset fits.
 */
final class Assembler {

    private static final int MAX_SHORT_JUMP = 255;

    /** An instruction being placed; targets are slots, not offsets. */
    private static final class Slot {
        final int code;
        final int k;
        Slot ifTrue;
        Slot ifFalse;

        Slot(int code, int k) {
            this.code = code;
            this.k = k;
        }

        boolean isReturn() {
            return (code & 0x07) == RET;
        }
    }

    private Assembler() {
    }

    static BpfProgram assemble(Node root) {
        List<Slot> slots = layout(Graphs.topologicalOrder(root));
        while (fixFarJump(slots)) {
            // each round fixes one jump; inserting may push others out of reach
        }
        return encode(slots);
    }

    private static List<Slot> layout(List<Node> order) {
        Map<Node, Slot> slotOf = new IdentityHashMap<>();
        order.forEach(n -> slotOf.put(n, new Slot(n.code, n.k)));
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Node node = order.get(i);
            Slot slot = slotOf.get(node);
            slots.add(slot);
            if (node.isConditionalJump()) {
                slot.ifTrue = slotOf.get(node.ifTrue);
                slot.ifFalse = slotOf.get(node.ifFalse);
            } else if (!node.isReturn() && (i + 1 == order.size() || order.get(i + 1) != node.next())) {
                Slot jump = new Slot(JMP | JA, 0);
                jump.ifTrue = slotOf.get(node.next());
                slots.add(jump);
            }
        }
        return slots;
    }

    private static boolean fixFarJump(List<Slot> slots) {
        Map<Slot, Integer> position = positions(slots);
        for (int pc = 0; pc < slots.size(); pc++) {
            Slot s = slots.get(pc);
            if ((s.code & 0x07) != JMP || (s.code & 0xf0) == JA) {
                continue;
            }
            if (position.get(s.ifTrue) - pc - 1 > MAX_SHORT_JUMP) {
                s.ifTrue = nearTarget(slots, pc, s.ifTrue);
                return true;
            }
            if (position.get(s.ifFalse) - pc - 1 > MAX_SHORT_JUMP) {
                s.ifFalse = nearTarget(slots, pc, s.ifFalse);
                return true;
            }
        }
        return false;
    }

    /** A slot within reach of {@code pc} that leads to {@code far}: an equal return, or a new copy or trampoline after pc. */
    private static Slot nearTarget(List<Slot> slots, int pc, Slot far) {
        if (far.isReturn()) {
            for (int i = pc + 1; i < slots.size() && i - pc - 1 <= MAX_SHORT_JUMP; i++) {
                Slot s = slots.get(i);
                if (s.code == far.code && s.k == far.k) {
                    return s;
                }
            }
        }
        Slot near = far.isReturn() ? new Slot(far.code, far.k) : new Slot(JMP | JA, 0);
        near.ifTrue = far.isReturn() ? null : far;
        slots.add(pc + 1, near);  // after a jump nothing falls through, so this cannot change any path
        return near;
    }

    private static Map<Slot, Integer> positions(List<Slot> slots) {
        Map<Slot, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            position.put(slots.get(i), i);
        }
        return position;
    }

    private static BpfProgram encode(List<Slot> slots) {
        Map<Slot, Integer> position = positions(slots);
        List<Instruction> out = new ArrayList<>(slots.size());
        for (int pc = 0; pc < slots.size(); pc++) {
            Slot s = slots.get(pc);
            if (s.code == (JMP | JA)) {
                out.add(Instruction.stmt(s.code, position.get(s.ifTrue) - pc - 1));
            } else if ((s.code & 0x07) == JMP) {
                out.add(Instruction.jump(s.code, s.k, position.get(s.ifTrue) - pc - 1, position.get(s.ifFalse) - pc - 1));
            } else {
                out.add(Instruction.stmt(s.code, s.k));
            }
        }
        return new BpfProgram(out);
    }
}
