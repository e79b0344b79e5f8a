package org.attenuator.bpf;

import java.util.Arrays;

/**
 * What a seccomp filter sees (struct seccomp_data): nr, arch, instruction_pointer and six
 * argument registers, laid out little-endian in 64 bytes.
 */
public record SeccompData(int nr, int arch, long instructionPointer, long[] args) {

    /** sizeof(struct seccomp_data). */
    public static final int SIZE = 64;
    public static final int OFFSET_NR = 0;
    public static final int OFFSET_ARCH = 4;
    public static final int OFFSET_IP = 8;
    public static final int OFFSET_ARGS = 16;

    public SeccompData {
        if (args.length != Condition.MAX_ARGS) {
            throw new IllegalArgumentException("seccomp_data has 6 arguments, not " + args.length);
        }
        args = args.clone();
    }

    /**
     * A call as the ABI {@code abi} makes it: its audit arch, the number as seccomp_data holds it
     * (for x32 with the x32 bit, as in {@link SyscallTable}) and the arguments, which a 32-bit ABI
     * zero-extends.
     */
    public static SeccompData of(Arch abi, int nr, long... args) {
        long[] all = Arrays.copyOf(args, Condition.MAX_ARGS);
        if (abi.hasRegisters32()) {
            for (int i = 0; i < all.length; i++) {
                all[i] &= 0xffffffffL;
            }
        }
        return new SeccompData(nr, abi.auditArch(), 0, all);
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    /** The 32-bit word at a byte offset, as BPF_LD|BPF_W|BPF_ABS reads it; -1 for an invalid offset. */
    public long word(int offset) {
        if (offset < 0 || offset > SIZE - 4 || (offset & 3) != 0) {
            return -1;
        }
        if (offset == OFFSET_NR) {
            return nr & 0xffffffffL;
        }
        if (offset == OFFSET_ARCH) {
            return arch & 0xffffffffL;
        }
        long value = offset < OFFSET_ARGS ? instructionPointer : args[(offset - OFFSET_ARGS) / 8];
        return (offset & 4) == 0 ? value & 0xffffffffL : value >>> 32;
    }

    /** Byte offset of the low word of argument {@code index}. */
    public static int argLow(int index) {
        return OFFSET_ARGS + 8 * index;
    }

    /** Byte offset of the high word of argument {@code index}. */
    public static int argHigh(int index) {
        return argLow(index) + 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompData d && d.nr == nr && d.arch == arch
                && d.instructionPointer == instructionPointer && Arrays.equals(d.args, args);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * nr + arch) + Arrays.hashCode(args);
    }

    @Override
    public String toString() {
        return String.format("seccomp_data{nr=%d, arch=0x%x, args=%s}", nr, arch, Arrays.toString(args));
    }
}
