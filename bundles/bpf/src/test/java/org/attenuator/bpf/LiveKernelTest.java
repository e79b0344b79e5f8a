package org.attenuator.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real process installs our program and makes real system calls through the x86_64, i386
 * ({@code int 0x80}) and x32 ABIs. The harness is compiled here with gcc; no gcc is a failure.
 */
class LiveKernelTest {

    private static final int SIGSYS_DEATH = 128 + 31;
    private static final Policy POLICY = new Policy(Action.errno(1), List.of(Arch.X86_64, Arch.X32, Arch.X86), List.of(
            new Rule("write", Action.ALLOW),
            new Rule("exit_group", Action.ALLOW),
            new Rule("getppid", Action.ALLOW),
            new Rule("getuid", Action.ALLOW),
            new Rule("socketcall", Action.errno(78)),
            new Rule("getpid", Action.errno(77), new Condition(0, Op.EQ, 5)),
            new Rule("getpid", Action.ALLOW, new Condition(0, Op.NE, 5)),
            new Rule("getpgrp", Action.LOG),
            new Rule("getsid", Action.trace(0)),
            new Rule("gettid", Action.USER_NOTIF),
            new Rule("kill", Action.trap(0)),
            new Rule("tkill", Action.KILL_PROCESS)));

    private static Path harness;
    private static Path dir;

    @BeforeAll
    static void buildHarness() throws Exception {
        dir = Files.createDirectories(Path.of("target", "live"));
        Path source = dir.resolve("syscall_under_filter.c");
        try (InputStream in = LiveKernelTest.class.getResourceAsStream("/live/syscall_under_filter.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        harness = dir.resolve("syscall_under_filter");
        Result gcc = run(List.of("gcc", "-O2", "-Wall", "-o", harness.toString(), source.toString()));
        assertEquals(0, gcc.status, "the live test needs gcc: " + gcc.output);
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).trim();
        return new Result(p.waitFor(), output);
    }

    private static Result call(Policy policy, String abi, String syscall, long... args) throws Exception {
        Path filter = dir.resolve("filter-" + policy.arches().size() + ".bpf");
        Files.write(filter, FilterCompiler.create().compile(policy).program().toBytes());
        Arch arch = "i386".equals(abi) ? Arch.X86 : "x32".equals(abi) ? Arch.X32 : Arch.X86_64;
        int nr = SyscallTable.of(arch).number(syscall).orElseThrow() & ~Arch.X32_SYSCALL_BIT;
        List<String> command = new ArrayList<>(List.of(harness.toString(), filter.toString(), abi, Integer.toString(nr)));
        for (long a : args) {
            command.add(Long.toUnsignedString(a));
        }
        return run(command);
    }

    private static void assertErrno(int errno, Result r) {
        assertEquals("ret=-1 errno=" + errno, r.output, r.toString());
    }

    private static void assertSucceeds(Result r) {
        assertTrue(r.output.startsWith("ret=") && r.output.endsWith("errno=0"), r.toString());
    }

    @Test
    void nativeCalls() throws Exception {
        assertSucceeds(call(POLICY, "x86_64", "getppid"));
        assertSucceeds(call(POLICY, "x86_64", "getuid"));
        assertErrno(1, call(POLICY, "x86_64", "tuxcall"));
        assertErrno(77, call(POLICY, "x86_64", "getpid", 5));
        assertSucceeds(call(POLICY, "x86_64", "getpid", 5 | (1L << 32)));
        assertSucceeds(call(POLICY, "x86_64", "getpgrp"));
        assertErrno(38, call(POLICY, "x86_64", "getsid"));  // TRACE without a tracer
        assertErrno(38, call(POLICY, "x86_64", "gettid"));  // USER_NOTIF without a listener
        assertEquals(new Result(3, "trap"), call(POLICY, "x86_64", "kill", 0, 0));
        assertEquals(SIGSYS_DEATH, call(POLICY, "x86_64", "tkill", 0, 0).status);
    }

    @Test
    void i386CallsThroughInt80UseI386Numbers() throws Exception {
        assertErrno(78, call(POLICY, "i386", "socketcall"));  // 102, which is getuid on x86_64
        assertSucceeds(call(POLICY, "i386", "getppid"));
        assertErrno(77, call(POLICY, "i386", "getpid", 5));
        assertErrno(1, call(POLICY, "i386", "waitpid"));
    }

    @Test
    void x32CallsCarryTheX32Bit() throws Exception {
        assertErrno(77, call(POLICY, "x32", "getpid", 5));
        assertErrno(77, call(POLICY, "x32", "getpid", 5 | (1L << 32)));  // low words only, as libseccomp
        assertErrno(1, call(POLICY, "x32", "waitid"));
        Policy nativeOnly = new Policy(POLICY.defaultAction(), List.of(Arch.X86_64), POLICY.rules());
        assertEquals(SIGSYS_DEATH, call(nativeOnly, "x32", "getppid").status, "x32 is a bad arch for it");
        assertSucceeds(call(nativeOnly, "x86_64", "getppid"));
    }

    @Test
    void aRuleForOneArchLeavesTheOthersToTheDefault() throws Exception {
        Policy policy = new Policy(Action.errno(1), List.of(Arch.X86_64, Arch.X32, Arch.X86), List.of(
                new Rule("write", Action.ALLOW),
                new Rule("exit_group", Action.ALLOW),
                new Rule("getppid", Action.ALLOW, List.of(), "", java.util.Set.of(Arch.X86_64)),
                new Rule("getpid", Action.ALLOW, List.of(new Condition(0, Op.EQ, 5)), "", java.util.Set.of(Arch.X86))));
        assertSucceeds(call(policy, "x86_64", "getppid"));
        assertErrno(1, call(policy, "i386", "getppid"));
        assertErrno(1, call(policy, "x32", "getppid"));
        assertSucceeds(call(policy, "i386", "getpid", 5));
        assertErrno(1, call(policy, "i386", "getpid", 6));
        assertErrno(1, call(policy, "x86_64", "getpid", 5));
    }
}
