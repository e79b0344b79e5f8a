package org.attenuator.bpf;

import static org.attenuator.bpf.Instruction.*;

import java.util.Arrays;

/**
 * Runs a classic BPF program on a {@link SeccompData} as the kernel would: the checks
 * seccomp_check_filter() and bpf_check_classic() make at install time, then the classic
 * interpreter's semantics (32-bit A and X, sixteen scratch words, unsigned jumps).
 */
public final class BpfInterpreter {

    private static final int MEMWORDS = 16;

    /** The result of one run: the value returned and the program counters executed, in order. */
    public record Execution(int returnValue, int[] path) {

        public Action action() {
            return Action.fromReturnValue(returnValue);
        }

        /** How many instructions ran. */
        public int executed() {
            return path.length;
        }

        @Override
        public String toString() {
            return action() + " after " + Arrays.toString(path);
        }
    }

    private BpfInterpreter() {
    }

    /** Throws IllegalArgumentException naming the first instruction the kernel would reject. */
    public static void verify(BpfProgram program) {
        int n = program.size();
        if (n == 0 || n > BpfProgram.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("program length " + n + " not in 1.." + BpfProgram.MAX_INSTRUCTIONS);
        }
        for (int pc = 0; pc < n; pc++) {
            Instruction i = program.get(pc);
            String problem = problem(i, pc, n);
            if (problem != null) {
                throw new IllegalArgumentException(String.format("instruction %d (code 0x%02x): %s", pc, i.code(), problem));
            }
        }
        if (!program.get(n - 1).isReturn()) {
            throw new IllegalArgumentException("the last instruction is not a return");
        }
    }

    private static String problem(Instruction i, int pc, int n) {
        int code = i.code();
        switch (code) {
            case LD | W | ABS:
                return (i.k() & 3) != 0 || Integer.compareUnsigned(i.k(), SeccompData.SIZE - 4) > 0
                        ? "load outside seccomp_data" : null;
            case LD | MEM: case LDX | MEM: case ST: case STX:
                return Integer.compareUnsigned(i.k(), MEMWORDS) >= 0 ? "scratch slot out of range" : null;
            case ALU | DIV | K:
                return i.k() == 0 ? "division by zero" : null;
            case JMP | JA:
                return Integer.toUnsignedLong(i.k()) >= n - pc - 1L ? "jump out of range" : null;
            case JMP | JEQ | K: case JMP | JEQ | X: case JMP | JGT | K: case JMP | JGT | X:
            case JMP | JGE | K: case JMP | JGE | X: case JMP | JSET | K: case JMP | JSET | X:
                return pc + 1 + Math.max(i.jt(), i.jf()) >= n ? "jump out of range" : null;
            case LD | W | LEN: case LDX | W | LEN: case RET | K: case RET | A:
            case ALU | ADD | K: case ALU | ADD | X: case ALU | SUB | K: case ALU | SUB | X:
            case ALU | MUL | K: case ALU | MUL | X: case ALU | DIV | X: case ALU | AND | K: case ALU | AND | X:
            case ALU | OR | K: case ALU | OR | X: case ALU | XOR | K: case ALU | XOR | X:
            case ALU | LSH | K: case ALU | LSH | X: case ALU | RSH | K: case ALU | RSH | X: case ALU | NEG:
            case LD | IMM: case LDX | IMM: case MISC | TAX: case MISC | TXA:
                return null;
            default:
                return "opcode not allowed in seccomp filters";
        }
    }

    /** Verifies, then runs. */
    public static Execution run(BpfProgram program, SeccompData data) {
        verify(program);
        return runVerified(program, data);
    }

    /** Runs a program already verified (saves the check in loops over many inputs). */
    public static Execution runVerified(BpfProgram program, SeccompData data) {
        int a = 0;
        int x = 0;
        int[] mem = new int[MEMWORDS];
        int[] path = new int[program.size()];
        int steps = 0;
        int pc = 0;
        while (true) {
            Instruction i = program.get(pc);
            path[steps++] = pc;
            int k = i.k();
            int next = pc + 1;
            switch (i.code()) {
                case LD | W | ABS: a = (int) data.word(k); break;
                case LD | W | LEN: a = SeccompData.SIZE; break;
                case LDX | W | LEN: x = SeccompData.SIZE; break;
                case LD | IMM: a = k; break;
                case LDX | IMM: x = k; break;
                case LD | MEM: a = mem[k]; break;
                case LDX | MEM: x = mem[k]; break;
                case ST: mem[k] = a; break;
                case STX: mem[k] = x; break;
                case MISC | TAX: x = a; break;
                case MISC | TXA: a = x; break;
                case ALU | ADD | K: a += k; break;
                case ALU | ADD | X: a += x; break;
                case ALU | SUB | K: a -= k; break;
                case ALU | SUB | X: a -= x; break;
                case ALU | MUL | K: a *= k; break;
                case ALU | MUL | X: a *= x; break;
                case ALU | DIV | K: a = Integer.divideUnsigned(a, k); break;
                case ALU | DIV | X:
                    if (x == 0) {
                        return new Execution(0, Arrays.copyOf(path, steps));
                    }
                    a = Integer.divideUnsigned(a, x);
                    break;
                case ALU | AND | K: a &= k; break;
                case ALU | AND | X: a &= x; break;
                case ALU | OR | K: a |= k; break;
                case ALU | OR | X: a |= x; break;
                case ALU | XOR | K: a ^= k; break;
                case ALU | XOR | X: a ^= x; break;
                case ALU | LSH | K: a <<= k; break;
                case ALU | LSH | X: a <<= x; break;
                case ALU | RSH | K: a >>>= k; break;
                case ALU | RSH | X: a >>>= x; break;
                case ALU | NEG: a = -a; break;
                case JMP | JA: next += k; break;
                case JMP | JEQ | K: next += a == k ? i.jt() : i.jf(); break;
                case JMP | JEQ | X: next += a == x ? i.jt() : i.jf(); break;
                case JMP | JGT | K: next += Integer.compareUnsigned(a, k) > 0 ? i.jt() : i.jf(); break;
                case JMP | JGT | X: next += Integer.compareUnsigned(a, x) > 0 ? i.jt() : i.jf(); break;
                case JMP | JGE | K: next += Integer.compareUnsigned(a, k) >= 0 ? i.jt() : i.jf(); break;
                case JMP | JGE | X: next += Integer.compareUnsigned(a, x) >= 0 ? i.jt() : i.jf(); break;
                case JMP | JSET | K: next += (a & k) != 0 ? i.jt() : i.jf(); break;
                case JMP | JSET | X: next += (a & x) != 0 ? i.jt() : i.jf(); break;
                case RET | K: return new Execution(k, Arrays.copyOf(path, steps));
                case RET | A: return new Execution(a, Arrays.copyOf(path, steps));
                default: throw new IllegalArgumentException("unverified opcode at " + pc);
            }
            pc = next;
        }
    }
}
