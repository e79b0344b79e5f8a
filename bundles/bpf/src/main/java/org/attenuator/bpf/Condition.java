package org.attenuator.bpf;

import java.util.Objects;

/**
 * One comparison of a system call argument. Values are unsigned 64-bit numbers held in a
 * {@code long}; for {@link Op#MASKED_EQ} {@code value} is the mask and {@code valueTwo} the
 * expected result, otherwise {@code valueTwo} is unused.
 */
public record Condition(int argIndex, Op op, long value, long valueTwo) {

    public static final int MAX_ARGS = 6;

    public Condition {
        Objects.requireNonNull(op, "op");
        if (argIndex < 0 || argIndex >= MAX_ARGS) {
            throw new IllegalArgumentException("argument index must be 0.." + (MAX_ARGS - 1) + ": " + argIndex);
        }
    }

    public Condition(int argIndex, Op op, long value) {
        this(argIndex, op, value, 0);
    }

    /** Whether an argument value satisfies this condition, as the kernel sees it on a 64-bit ABI. */
    public boolean matches(long arg) {
        switch (op) {
            case NE: return arg != value;
            case LT: return Long.compareUnsigned(arg, value) < 0;
            case LE: return Long.compareUnsigned(arg, value) <= 0;
            case EQ: return arg == value;
            case GE: return Long.compareUnsigned(arg, value) >= 0;
            case GT: return Long.compareUnsigned(arg, value) > 0;
            case MASKED_EQ: return (arg & value) == valueTwo;
            default: throw new AssertionError(op);
        }
    }

    /** The same comparison as a filter for a 32-bit ABI performs it: on the low words only. */
    public Condition lowWord() {
        return new Condition(argIndex, op, value & 0xffffffffL, valueTwo & 0xffffffffL);
    }

    @Override
    public String toString() {
        String v = "0x" + Long.toHexString(value);
        return op == Op.MASKED_EQ
                ? "(arg" + argIndex + " & " + v + ") == 0x" + Long.toHexString(valueTwo)
                : "arg" + argIndex + " " + op.symbol() + " " + v;
    }
}
