package org.attenuator.plugin.denylog.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Names the bits of a flag word, table-driven: {@code O_WRONLY|O_CREAT|O_CLOEXEC}. Entries are
 * tried in order; an entry matches when all its bits are set (so multi-bit names such as
 * {@code O_SYNC} come before their parts). An optional low field (access mode, socket type, exit
 * signal) is named from its own table first. Leftover bits are shown in hex.
 */
final class BitNames {

    record Name(String name, long bits) {
    }

    private final List<Name> flags;
    private final long fieldMask;
    private final ValueNames field;

    private BitNames(List<Name> flags, long fieldMask, ValueNames field) {
        this.flags = flags;
        this.fieldMask = fieldMask;
        this.field = field;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final List<Name> flags = new ArrayList<>();
        private long fieldMask;
        private ValueNames field;

        Builder flag(String name, long bits) {
            flags.add(new Name(name, bits));
            return this;
        }

        /** The bits under {@code mask} form one value, named by {@code names}. */
        Builder field(long mask, ValueNames names) {
            this.fieldMask = mask;
            this.field = names;
            return this;
        }

        BitNames build() {
            return new BitNames(List.copyOf(flags), fieldMask, field);
        }
    }

    String format(long value) {
        StringBuilder out = new StringBuilder();
        long rest = value;
        if (field != null) {
            out.append(field.format(value & fieldMask));
            rest &= ~fieldMask;
        }
        for (Name n : flags) {
            if (n.bits() != 0 && (rest & n.bits()) == n.bits()) {
                append(out, n.name());
                rest &= ~n.bits();
            }
        }
        if (rest != 0) {
            append(out, "0x" + Long.toHexString(rest));
        }
        return out.length() == 0 ? "0" : out.toString();
    }

    private static void append(StringBuilder out, String s) {
        if (out.length() > 0) {
            out.append('|');
        }
        out.append(s);
    }
}
