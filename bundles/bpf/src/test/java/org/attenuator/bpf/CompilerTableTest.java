package org.attenuator.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** (abi, syscall, args) -> action, run in the interpreter on the compiled program (optimized and not). */
class CompilerTableTest {

    static final long TWO_31 = 1L << 31;
    static final long TWO_32 = 1L << 32;
    static final long WORD = TWO_32 - 1;
    static final long TWO_63 = Long.MIN_VALUE;
    static final long ALL_ONES = -1L;
    static final Action DEFAULT = Action.errno(1);

    static final Policy POLICY = new Policy(DEFAULT, List.of(Arch.X86_64, Arch.X32, Arch.X86), List.of(
            new Rule("getppid", Action.ALLOW),
            new Rule("read", Action.ALLOW, new Condition(0, Op.EQ, TWO_32)),
            new Rule("write", Action.ALLOW, new Condition(0, Op.NE, TWO_31)),
            new Rule("openat", Action.ALLOW, new Condition(1, Op.LT, TWO_32)),
            new Rule("close", Action.ALLOW, new Condition(0, Op.LE, WORD)),
            new Rule("lseek", Action.trap(3), new Condition(2, Op.GE, TWO_63)),
            new Rule("dup", Action.KILL_THREAD, new Condition(5, Op.GT, TWO_63)),
            new Rule("mmap", Action.trace(7), new Condition(3, Op.MASKED_EQ, 0xffffffff00000003L, 0x8000000000000001L)),
            new Rule("kill", Action.KILL_PROCESS),
            new Rule("tkill", Action.KILL_THREAD),
            new Rule("getpid", Action.USER_NOTIF),
            new Rule("gettid", Action.LOG),
            new Rule("clone3", Action.errno(38)),
            new Rule("personality", Action.ALLOW, new Condition(0, Op.EQ, 0)),
            new Rule("personality", Action.ALLOW, new Condition(0, Op.EQ, 8)),
            new Rule("personality", Action.ALLOW, new Condition(0, Op.EQ, WORD)),
            new Rule("ioctl", Action.ALLOW, new Condition(1, Op.EQ, 0x5401)),
            new Rule("ioctl", Action.errno(13), new Condition(0, Op.GT, 2), new Condition(1, Op.EQ, 0x5401)),
            new Rule("fcntl", Action.ALLOW),
            new Rule("fcntl", Action.KILL_PROCESS, new Condition(1, Op.EQ, 4)),
            new Rule("socketcall", Action.ALLOW),
            new Rule("arch_prctl", Action.ALLOW)));

    static Stream<Arguments> table() {
        Arch x64 = Arch.X86_64;
        return Stream.of(
                row(x64, "getppid", Action.ALLOW),
                row(x64, "tuxcall", DEFAULT),
                row(x64, "read", Action.ALLOW, TWO_32),
                row(x64, "read", DEFAULT, 0),
                row(x64, "read", DEFAULT, TWO_32 + 1),
                row(x64, "read", DEFAULT, TWO_32 - 1),
                row(x64, "write", DEFAULT, TWO_31),
                row(x64, "write", Action.ALLOW, TWO_31 + TWO_32),
                row(x64, "write", Action.ALLOW, 0),
                row(x64, "openat", Action.ALLOW, 0, WORD),
                row(x64, "openat", DEFAULT, 0, TWO_32),
                row(x64, "openat", DEFAULT, 0, ALL_ONES),
                row(x64, "close", Action.ALLOW, WORD),
                row(x64, "close", DEFAULT, TWO_32),
                row(x64, "close", Action.ALLOW, 0),
                row(x64, "lseek", Action.trap(3), 0, 0, TWO_63),
                row(x64, "lseek", Action.trap(3), 0, 0, ALL_ONES),
                row(x64, "lseek", DEFAULT, 0, 0, TWO_63 - 1),
                row(x64, "dup", DEFAULT, 0, 0, 0, 0, 0, TWO_63),
                row(x64, "dup", Action.KILL_THREAD, 0, 0, 0, 0, 0, TWO_63 + 1),
                row(x64, "dup", Action.KILL_THREAD, 0, 0, 0, 0, 0, ALL_ONES),
                row(x64, "mmap", Action.trace(7), 0, 0, 0, 0x8000000000000001L),
                row(x64, "mmap", Action.trace(7), 0, 0, 0, 0x80000000fffffff1L),
                row(x64, "mmap", DEFAULT, 0, 0, 0, 0x8000000100000001L),
                row(x64, "mmap", DEFAULT, 0, 0, 0, 0x8000000000000003L),
                row(x64, "kill", Action.KILL_PROCESS),
                row(x64, "tkill", Action.KILL_THREAD),
                row(x64, "getpid", Action.USER_NOTIF),
                row(x64, "gettid", Action.LOG),
                row(x64, "clone3", Action.errno(38)),
                row(x64, "personality", Action.ALLOW, 8),
                row(x64, "personality", Action.ALLOW, WORD),
                row(x64, "personality", DEFAULT, WORD + TWO_32),
                row(x64, "personality", DEFAULT, 9),
                row(x64, "ioctl", Action.ALLOW, 1, 0x5401),
                row(x64, "ioctl", Action.errno(13), 3, 0x5401),
                row(x64, "ioctl", DEFAULT, 3, 0x5402),
                row(x64, "fcntl", Action.ALLOW, 0, 3),
                row(x64, "fcntl", Action.KILL_PROCESS, 0, 4),
                row(x64, "arch_prctl", Action.ALLOW),
                // i386: its own numbers, 32-bit registers (only low words are compared)
                row(Arch.X86, "getppid", Action.ALLOW),
                row(Arch.X86, "socketcall", Action.ALLOW),
                row(Arch.X86, "read", Action.ALLOW, 0),
                row(Arch.X86, "read", DEFAULT, 1),
                row(Arch.X86, "write", Action.ALLOW, TWO_31 + 1),
                row(Arch.X86, "write", DEFAULT, TWO_31),
                // ... against the low word of the value, as libseccomp does: 2^32 and 2^63 become 0
                row(Arch.X86, "openat", DEFAULT, 0, WORD),
                row(Arch.X86, "lseek", Action.trap(3), 0, 0, 0),
                row(Arch.X86, "dup", Action.KILL_THREAD, 0, 0, 0, 0, 0, 1),
                row(Arch.X86, "dup", DEFAULT, 0, 0, 0, 0, 0, 0),
                row(Arch.X86, "personality", Action.ALLOW, WORD),
                row(Arch.X86, "clone3", Action.errno(38)),
                // x32: numbers carry the x32 bit under AUDIT_ARCH_X86_64
                row(Arch.X32, "getppid", Action.ALLOW),
                row(Arch.X32, "read", Action.ALLOW, TWO_32),
                row(Arch.X32, "read", Action.ALLOW, 0),  // libseccomp compares low words on x32 too
                row(Arch.X32, "kill", Action.KILL_PROCESS),
                row(Arch.X32, "fcntl", Action.KILL_PROCESS, 0, 4));
    }

    static Arguments row(Arch abi, String syscall, Action expected, long... args) {
        return arguments(abi, syscall, args, expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("table")
    void optimizedProgramGivesExpectedAction(Arch abi, String syscall, long[] args, Action expected) throws Exception {
        assertAction(CompileOptions.DEFAULT, abi, syscall, args, expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("table")
    void referenceProgramGivesExpectedAction(Arch abi, String syscall, long[] args, Action expected) throws Exception {
        assertAction(CompileOptions.DEFAULT.withOptimize(false), abi, syscall, args, expected);
    }

    private static void assertAction(CompileOptions options, Arch abi, String syscall, long[] args, Action expected)
            throws CompileException {
        CompiledFilter filter = FilterCompiler.create().compile(POLICY, options);
        SeccompData call = SeccompData.of(abi, SyscallTable.of(abi).number(syscall).orElseThrow(), args);
        assertEquals(expected, POLICY.actionFor(abi, call.nr(), call.args(), Action.KILL_PROCESS), "reference semantics");
        assertEquals(expected, BpfInterpreter.run(filter.program(), call).action(), () -> Disassembler.listing(filter.program()));
    }

    @Test
    void callsFromUncoveredAbisGetTheBadArchAction() throws Exception {
        Policy x64Only = new Policy(DEFAULT, List.of(Arch.X86_64), POLICY.rules());
        CompiledFilter filter = FilterCompiler.create().compile(x64Only);
        int x32Read = SyscallTable.of(Arch.X32).number("read").orElseThrow();
        assertEquals(Action.KILL_PROCESS, run(filter, SeccompData.of(Arch.X32, x32Read)));
        assertEquals(Action.KILL_PROCESS, run(filter, SeccompData.of(Arch.X86, 64)));
        assertEquals(Action.KILL_PROCESS, run(filter, SeccompData.of(Arch.AARCH64, 172)));
        assertEquals(DEFAULT, run(filter, SeccompData.of(Arch.X32, -1)), "nr -1 (a tracer's skip) takes the default");
        assertEquals(Action.ALLOW, run(filter, SeccompData.of(Arch.X86_64, 110)));
    }

    @Test
    void x32OnlyPolicyRejectsNativeCalls() throws Exception {
        CompiledFilter filter = FilterCompiler.create().compile(new Policy(DEFAULT, List.of(Arch.X32), POLICY.rules()));
        assertEquals(Action.KILL_PROCESS, run(filter, SeccompData.of(Arch.X86_64, 110)));
        assertEquals(Action.ALLOW, run(filter, SeccompData.of(Arch.X32, Arch.X32_SYSCALL_BIT | 110)));
    }

    @Test
    void argumentFreeSyscallsNeverLoadAnArgument() throws Exception {
        CompiledFilter filter = FilterCompiler.create().compile(POLICY);
        for (Arch abi : POLICY.arches()) {
            for (int nr : SyscallTable.of(abi).numbers()) {
                // a condition that always holds on a 32-bit ABI (close: arg0 <= 2^32-1) needs no load either
                boolean hasConditions = POLICY.rulesFor(abi, nr).stream().anyMatch(r -> !r.isUnconditional());
                BpfInterpreter.Execution run = BpfInterpreter.run(filter.program(), SeccompData.of(abi, nr));
                boolean loadsArgument = false;
                for (int pc : run.path()) {
                    Instruction i = filter.program().get(pc);
                    loadsArgument |= i.code() == (Instruction.LD | Instruction.ABS) && i.k() >= SeccompData.OFFSET_ARGS;
                }
                assertTrue(hasConditions || !loadsArgument, abi + " " + nr);
                if (!abi.comparesLowWordOnly()) {
                    assertEquals(hasConditions, loadsArgument, abi + " " + nr);
                }
            }
        }
    }

    @Test
    void explainNamesTheDecidingRuleAndThePath() throws Exception {
        FilterCompiler compiler = FilterCompiler.create();
        Explanation e = compiler.explain(compiler.compile(POLICY), Arch.X86_64, "ioctl", 3, 0x5401);
        assertEquals(Action.errno(13), e.action());
        assertEquals(Action.errno(13), e.decidingRule().orElseThrow().action());
        assertEquals(2, e.candidateRules().size());
        assertTrue(e.executed().get(e.executed().size() - 1).contains("ret ERRNO(13)"), e.render());
        assertTrue(e.render().contains("decided by: ioctl if"), e.render());
    }

    @Test
    void programPastBpfMaxInsnsIsACompileError() {
        List<Rule> rules = new java.util.ArrayList<>();
        for (String name : SyscallTable.of(Arch.X86_64).names()) {
            for (int v = 0; v < 12; v++) {  // values differ per syscall, so no code can be shared
                rules.add(new Rule(name, Action.ALLOW, new Condition(v % 6, Op.GT, v * 1000L + name.hashCode())));
            }
        }
        CompileException e = org.junit.jupiter.api.Assertions.assertThrows(CompileException.class,
                () -> FilterCompiler.create().compile(new Policy(DEFAULT, List.of(Arch.X86_64), rules)));
        assertEquals(CompileException.Reason.PROGRAM_TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
    }

    @Test
    void unknownSyscallIsACompileErrorNamingIt() {
        Policy p = new Policy(DEFAULT, List.of(Arch.X86_64), List.of(new Rule("no_such_call", Action.ALLOW, List.of(), "syscalls[2].names[0]")));
        CompileException e = org.junit.jupiter.api.Assertions.assertThrows(CompileException.class,
                () -> FilterCompiler.create().compile(p));
        assertEquals(CompileException.Reason.UNKNOWN_SYSCALL, e.reason());
        assertEquals("syscalls[2].names[0]: unknown system call \"no_such_call\" (no architecture has it)", e.getMessage());
    }

    private static Action run(CompiledFilter filter, SeccompData call) {
        return BpfInterpreter.run(filter.program(), call).action();
    }
}
