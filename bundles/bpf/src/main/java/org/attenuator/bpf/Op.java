package org.attenuator.bpf;

import java.util.Arrays;
import java.util.Optional;

/** Comparison of a 64-bit system call argument, with libseccomp's SCMP_CMP_* meaning (unsigned). */
public enum Op {
    NE("SCMP_CMP_NE", "!="),
    LT("SCMP_CMP_LT", "<"),
    LE("SCMP_CMP_LE", "<="),
    EQ("SCMP_CMP_EQ", "=="),
    GE("SCMP_CMP_GE", ">="),
    GT("SCMP_CMP_GT", ">"),
    /** {@code (arg & value) == valueTwo}. */
    MASKED_EQ("SCMP_CMP_MASKED_EQ", "&");

    private final String scmpName;
    private final String symbol;

    Op(String scmpName, String symbol) {
        this.scmpName = scmpName;
        this.symbol = symbol;
    }

    public String scmpName() {
        return scmpName;
    }

    public String symbol() {
        return symbol;
    }

    public static Optional<Op> fromScmpName(String name) {
        return Arrays.stream(values()).filter(o -> o.scmpName.equals(name)).findFirst();
    }
}
