package org.attenuator.bpf;

/**
 * One struct sock_filter: a 16-bit opcode, two 8-bit relative jump offsets and a 32-bit
 * constant. The opcode constants are those of linux/bpf_common.h.
 */
public record Instruction(int code, int jt, int jf, int k) {

    public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    public static final int W = 0x00, ABS = 0x20, IMM = 0x00, MEM = 0x60, LEN = 0x80;
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    public static final int K = 0x00, X = 0x08, A = 0x10;
    public static final int TAX = 0x00, TXA = 0x80;

    public Instruction {
        if (code < 0 || code > 0xffff || jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
            throw new IllegalArgumentException(String.format("bad instruction code=%x jt=%d jf=%d", code, jt, jf));
        }
    }

    public static Instruction stmt(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    public static Instruction jump(int code, int k, int jt, int jf) {
        return new Instruction(code, jt, jf, k);
    }

    public int instructionClass() {
        return code & 0x07;
    }

    /** A conditional jump (the only instructions with two successors). */
    public boolean isConditionalJump() {
        return instructionClass() == JMP && (code & 0xf0) != JA;
    }

    public boolean isReturn() {
        return instructionClass() == RET;
    }
}
