package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.SyscallTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles as large as learning produces, and larger: they compile, or fail in one line naming
 * the kernel's limit, on a 256 KiB thread stack (no recursion per rule or per graph node).
 */
class LargeProfileTest {

    private static final long SMALL_STACK = 256 * 1024;
    private static final int IOCTL = SyscallTable.of(Arch.X86_64).number("ioctl").orElseThrow();

    /** A learned-style profile: one entry per ioctl request seen, SCMP_CMP_EQ on arg1. */
    private static String ioctlProfile(int values) {
        StringBuilder json = new StringBuilder("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"syscalls\":[{\"names\":[\"read\",\"write\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}");
        for (int i = 0; i < values; i++) {
            json.append(",{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":")
                    .append(request(i)).append(",\"op\":\"SCMP_CMP_EQ\"}]}");
        }
        return json.append("]}").toString();
    }

    private static long request(int i) {
        return 0x5400L + 3L * i;
    }

    @TempDir
    Path dir;

    /** Read, resolved and compiled as {@code attenuator compile} does. */
    private BpfProgram compile(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("learned.json"), json);
        return ProfileCompiler.create().compile(file, ResolveOptions.defaults().withKernelVersion("6.18")).program();
    }

    /** Runs {@code work} on a thread with a 256 KiB stack, where a recursion per rule would overflow. */
    private static <T> T onSmallStack(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(null, () -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new AssertionError("on a " + SMALL_STACK / 1024 + " KiB stack", e.getCause());
        }
    }

    @Test
    void fiveHundredIoctlRequestsCompileAndOnlyThoseAreAllowed() throws Exception {
        BpfProgram program = onSmallStack(() -> compile(ioctlProfile(500)));
        assertTrue(program.size() <= BpfProgram.MAX_INSTRUCTIONS, program.size() + " instructions");
        for (int i : new int[] {0, 1, 250, 499}) {
            assertEquals(Action.ALLOW, run(program, request(i)), "request " + i);
        }
        assertEquals(Action.errno(1), run(program, request(500)));
        assertEquals(Action.errno(1), run(program, request(0) + 1));
        assertEquals(Action.errno(1), run(program, request(0) | 1L << 32), "the high word counts on x86_64");
    }

    @Test
    void sixThousandRequestsAreRefusedInOneLineNamingTheLimit() throws Exception {
        CompileException e = assertThrows(CompileException.class, () -> onSmallStack(() -> compile(ioctlProfile(6_000))));
        assertEquals(Reason.PROGRAM_TOO_LARGE, e.reason());
        assertTrue(e.getMessage().matches(".*learned\\.json:1: syscalls: the filter needs \\d+ or more BPF instructions,"
                + " more than the kernel's limit of 4096"), e.getMessage());
    }

    private static Action run(BpfProgram program, long request) {
        return BpfInterpreter.runVerified(program, SeccompData.of(Arch.X86_64, IOCTL, 3, request)).action();
    }
}
