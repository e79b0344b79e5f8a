package org.attenuator.bpf;

import static org.attenuator.bpf.Instruction.*;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readable listings of classic BPF programs, in the layout of libseccomp's scmp_bpf_disasm
 * (line, raw fields, then the instruction with symbolic seccomp_data offsets and actions).
 */
public final class Disassembler {

    private Disassembler() {
    }

    /** The whole program, one line per instruction, with a header. */
    public static String listing(BpfProgram program) {
        StringBuilder b = new StringBuilder(" line  OP   JT   JF   K\n=================================\n");
        for (int pc = 0; pc < program.size(); pc++) {
            b.append(line(program, pc)).append('\n');
        }
        return b.toString();
    }

    /** One instruction: {@code " 0001: 0x15 0x00 0x08 0xc000003e   jeq 0xc000003e true:0002 false:0010"}. */
    public static String line(BpfProgram program, int pc) {
        Instruction i = program.get(pc);
        return String.format(" %04d: 0x%02x 0x%02x 0x%02x 0x%08x   %s", pc, i.code(), i.jt(), i.jf(), i.k(), text(i, pc));
    }

    /** The instruction alone, e.g. {@code ld $data[4] (arch)} or {@code ret ERRNO(1)}. */
    public static String text(Instruction i, int pc) {
        int k = i.k();
        String hexK = String.format("0x%x", k);
        switch (i.code()) {
            case LD | W | ABS: return "ld  $data[" + k + "]" + field(k);
            case LD | W | LEN: return "ld  #len";
            case LDX | W | LEN: return "ldx #len";
            case LD | IMM: return "ld  #" + hexK;
            case LDX | IMM: return "ldx #" + hexK;
            case LD | MEM: return "ld  M[" + k + "]";
            case LDX | MEM: return "ldx M[" + k + "]";
            case ST: return "st  M[" + k + "]";
            case STX: return "stx M[" + k + "]";
            case MISC | TAX: return "tax";
            case MISC | TXA: return "txa";
            case RET | K: return "ret " + Action.fromReturnValue(k);
            case RET | A: return "ret A";
            case JMP | JA: return String.format("jmp %04d", pc + 1 + k);
            default: break;
        }
        String operand = (i.code() & X) != 0 ? "X" : hexK;
        if (i.instructionClass() == ALU) {
            return i.code() == (ALU | NEG) ? "neg" : aluName(i.code() & 0xf0) + " " + operand;
        }
        if (i.isConditionalJump()) {
            return String.format("%s %s true:%04d false:%04d", jumpName(i.code() & 0xf0), operand,
                    pc + 1 + i.jt(), pc + 1 + i.jf());
        }
        return String.format("unknown 0x%04x", i.code());
    }

    private static String field(int offset) {
        if (offset == SeccompData.OFFSET_NR) {
            return " (nr)";
        }
        if (offset == SeccompData.OFFSET_ARCH) {
            return " (arch)";
        }
        if (offset >= SeccompData.OFFSET_ARGS && offset < SeccompData.SIZE) {
            int arg = (offset - SeccompData.OFFSET_ARGS) / 8;
            return " (arg" + arg + ((offset & 4) == 0 ? " low)" : " high)");
        }
        return " (ip)";
    }

    private static String aluName(int op) {
        switch (op) {
            case ADD: return "add";
            case SUB: return "sub";
            case MUL: return "mul";
            case DIV: return "div";
            case OR: return "or ";
            case AND: return "and";
            case LSH: return "lsh";
            case RSH: return "rsh";
            case MOD: return "mod";
            case XOR: return "xor";
            default: return "alu?";
        }
    }

    private static String jumpName(int op) {
        switch (op) {
            case JEQ: return "jeq";
            case JGT: return "jgt";
            case JGE: return "jge";
            case JSET: return "jset";
            default: return "jmp?";
        }
    }

    /** Counts by kind and the longest path any input can take, for {@code --format stats}. */
    public static String statistics(BpfProgram program) {
        Map<String, Integer> byKind = instructionKinds(program);
        return String.format("instructions: %d (loads %d, conditional jumps %d, ja %d, returns %d, other %d)%n"
                        + "longest path: %d instructions%n",
                program.size(), byKind.get("load"), byKind.get("jump"), byKind.get("ja"), byKind.get("ret"),
                byKind.get("other"), longestPath(program));
    }

    /**
     * {@link #statistics(BpfProgram)}, then per architecture (sorted by name) how many syscalls
     * have rules and how many of those do not depend on arguments, then how the compilation went:
     * what {@code --format stats} prints.
     *
     * @since 0.2.0
     */
    public static String statistics(CompiledFilter filter) {
        StringBuilder b = new StringBuilder(statistics(filter.program()));
        BuildStatistics stats = filter.statistics();
        stats.syscallsWithRules().keySet().stream().sorted(Comparator.comparing(Arch::scmpName))
                .forEach(arch -> b.append(String.format("%s: %d syscalls with rules, %d of them without argument checks%n",
                        arch.scmpName(), stats.syscallsWithRules().get(arch),
                        stats.argumentFreeSyscalls().getOrDefault(arch, 0))));
        return b.append(String.format("compiled in %d pass rounds, %.2f ms%n", stats.passRounds(), stats.compileNanos() / 1e6))
                .toString();
    }

    /**
     * How many instructions of each kind the program has: {@code load}, {@code jump} (conditional),
     * {@code ja}, {@code ret} and {@code other}, in that order, each present (0 if none).
     */
    public static Map<String, Integer> instructionKinds(BpfProgram program) {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (String kind : new String[] {"load", "jump", "ja", "ret", "other"}) {
            byKind.put(kind, 0);
        }
        for (Instruction i : program.instructions()) {
            String kind = i.isReturn() ? "ret" : i.instructionClass() == JMP ? (i.isConditionalJump() ? "jump" : "ja")
                    : i.instructionClass() == LD ? "load" : "other";
            byKind.merge(kind, 1, Integer::sum);
        }
        return byKind;
    }

    /** The most instructions any input can execute (programs only jump forward, so this is a DAG walk). */
    public static int longestPath(BpfProgram program) {
        int n = program.size();
        int[] longest = new int[n + 1];
        for (int pc = n - 1; pc >= 0; pc--) {
            Instruction i = program.get(pc);
            int after;
            if (i.isReturn()) {
                after = 0;
            } else if (i.isConditionalJump()) {
                after = Math.max(at(longest, pc + 1 + i.jt(), n), at(longest, pc + 1 + i.jf(), n));
            } else if (i.code() == (JMP | JA)) {
                after = at(longest, pc + 1 + i.k(), n);
            } else {
                after = at(longest, pc + 1, n);
            }
            longest[pc] = 1 + after;
        }
        return longest[0];
    }

    private static int at(int[] longest, long pc, int n) {
        return pc >= 0 && pc < n ? longest[(int) pc] : 0;
    }
}
