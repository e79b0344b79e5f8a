package org.attenuator.plugin.learning;

/**
 * One learned condition on a register argument, in OCI terms: {@code SCMP_CMP_EQ} (the argument
 * equals {@code value}) or {@code SCMP_CMP_MASKED_EQ} (the argument AND {@code value} equals
 * {@code valueTwo}). Values are unsigned 64-bit numbers held in a long.
 */
public record ArgMatch(int index, long value, long valueTwo, String op) implements Comparable<ArgMatch> {

    public static final String EQ = "SCMP_CMP_EQ";
    public static final String MASKED_EQ = "SCMP_CMP_MASKED_EQ";

    public ArgMatch {
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("argument index must be 0..5, got " + index);
        }
        if (!EQ.equals(op) && !MASKED_EQ.equals(op)) {
            throw new IllegalArgumentException("op must be " + EQ + " or " + MASKED_EQ + ", got " + op);
        }
        if (EQ.equals(op)) {
            valueTwo = 0;
        }
    }

    /** The argument equals {@code value}. */
    public static ArgMatch eq(int index, long value) {
        return new ArgMatch(index, value, 0, EQ);
    }

    /** The argument's bits under {@code mask} equal {@code expected} (which is masked too). */
    public static ArgMatch maskedEq(int index, long mask, long expected) {
        return new ArgMatch(index, mask, expected & mask, MASKED_EQ);
    }

    @Override
    public int compareTo(ArgMatch o) {
        int c = Integer.compare(index, o.index);
        if (c == 0) {
            c = op.compareTo(o.op);
        }
        if (c == 0) {
            c = Long.compareUnsigned(value, o.value);
        }
        return c != 0 ? c : Long.compareUnsigned(valueTwo, o.valueTwo);
    }

    /** {@code arg0 == 0x2} or {@code arg1 & 0xf == 0x1}. */
    @Override
    public String toString() {
        return EQ.equals(op)
                ? "arg" + index + " == 0x" + Long.toHexString(value)
                : "arg" + index + " & 0x" + Long.toHexString(value) + " == 0x" + Long.toHexString(valueTwo);
    }
}
