package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import org.attenuator.bpf.Condition;
import org.attenuator.bpf.SeccompData;

/**
 * The value matcher: code for one 64-bit argument comparison out of 32-bit loads and unsigned
 * jumps, high word first. For i386 and x32 only the low word is compared, with the low word of
 * the value (libseccomp's semantics, see {@link org.attenuator.bpf.Arch#comparesLowWordOnly()}).
 * Comparisons that cannot fail or cannot succeed become no code at all.
 */
final class ConditionCode {

    private static final long WORD = 0xffffffffL;

    private final NodeFactory nodes;
    private final boolean lowWordOnly;

    ConditionCode(NodeFactory nodes, boolean lowWordOnly) {
        this.nodes = nodes;
        this.lowWordOnly = lowWordOnly;
    }

    Node emit(Condition condition, Node onMatch, Node onMiss) {
        Condition c = lowWordOnly ? condition.lowWord() : condition;
        long max = lowWordOnly ? WORD : -1L;
        switch (c.op()) {
            case EQ: return equal(c, onMatch, onMiss);
            case NE: return equal(c, onMiss, onMatch);
            case GT: return c.value() == max ? onMiss : greater(c, JGT, onMatch, onMiss);
            case LE: return c.value() == max ? onMatch : greater(c, JGT, onMiss, onMatch);
            case GE: return c.value() == 0 ? onMatch : greater(c, JGE, onMatch, onMiss);
            case LT: return c.value() == 0 ? onMiss : greater(c, JGE, onMiss, onMatch);
            case MASKED_EQ: return maskedEqual(c, onMatch, onMiss);
            default: throw new AssertionError(c.op());
        }
    }

    private Node equal(Condition c, Node onMatch, Node onMiss) {
        Node low = nodes.load(low(c), nodes.jump(JEQ, (int) c.value(), onMatch, onMiss));
        return lowWordOnly ? low : nodes.load(high(c), nodes.jump(JEQ, hi(c.value()), low, onMiss));
    }

    /**
     * {@code arg > value} (JGT) or {@code arg >= value} (JGE): a greater high word decides, an
     * equal one defers to the low word. Tests whose outcome is known are left out, so that every
     * instruction emitted can go both ways.
     */
    private Node greater(Condition c, int lowOp, Node onMatch, Node onMiss) {
        int lowValue = (int) c.value();
        Node low = lowOp == JGE && lowValue == 0 ? onMatch
                : lowOp == JGT && lowValue == -1 ? onMiss
                : nodes.load(low(c), nodes.jump(lowOp, lowValue, onMatch, onMiss));
        if (lowWordOnly) {
            return low;
        }
        int highValue = hi(c.value());
        if (highValue == -1) {  // no high word is greater
            return nodes.load(high(c), nodes.jump(JEQ, highValue, low, onMiss));
        }
        Node highEqual = highValue == 0 ? low : nodes.jump(JEQ, highValue, low, onMiss);  // not > 0 means == 0
        return nodes.load(high(c), nodes.jump(JGT, highValue, onMatch, highEqual));
    }

    private Node maskedEqual(Condition c, Node onMatch, Node onMiss) {
        long mask = c.value();
        long expected = c.valueTwo();
        if ((expected & ~mask) != 0) {
            return onMiss;  // bits the mask clears can never equal set bits
        }
        Node low = maskedWord(low(c), (int) mask, (int) expected, onMatch, onMiss);
        return lowWordOnly ? low : maskedWord(high(c), hi(mask), hi(expected), low, onMiss);
    }

    private Node maskedWord(int offset, int mask, int expected, Node onMatch, Node onMiss) {
        if (mask == 0) {
            return onMatch;  // expected is 0 too, see above
        }
        Node test = nodes.jump(JEQ, expected, onMatch, onMiss);
        return nodes.load(offset, mask == -1 ? test : nodes.and(mask, test));
    }

    private static int low(Condition c) {
        return SeccompData.argLow(c.argIndex());
    }

    private static int high(Condition c) {
        return SeccompData.argHigh(c.argIndex());
    }

    private static int hi(long value) {
        return (int) (value >>> 32);
    }
}
