package org.attenuator.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The checked-in tables against this machine's UAPI headers (linux-libc-dev). */
class SyscallTableTest {

    private static final Pattern DEFINE = Pattern.compile("#define __NR_(\\w+)\\s+(\\d+)");
    private static final Path ASM = Path.of("/usr/include/x86_64-linux-gnu/asm");

    private static Map<String, Integer> header(String name) throws Exception {
        Path file = ASM.resolve(name);
        assertTrue(Files.exists(file), file + " missing: apt-get install linux-libc-dev");
        Map<String, Integer> numbers = new TreeMap<>();
        Matcher m = DEFINE.matcher(Files.readString(file));
        while (m.find()) {
            numbers.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return numbers;
    }

    /** The table without the calls newer than this machine's 6.1 headers (added by hand, see below). */
    private static Map<String, Integer> tableUpToLinux61(Arch arch) {
        Map<String, Integer> numbers = new TreeMap<>();
        SyscallTable t = SyscallTable.of(arch);
        t.names().stream().filter(RandomPolicies::knownToLibseccomp).forEach(n -> numbers.put(n, t.number(n).orElseThrow()));
        return numbers;
    }

    @Test
    void x86_64AgreesWithUnistd64() throws Exception {
        assertEquals(header("unistd_64.h"), tableUpToLinux61(Arch.X86_64));
    }

    @Test
    void i386AgreesWithUnistd32() throws Exception {
        assertEquals(header("unistd_32.h"), tableUpToLinux61(Arch.X86));
    }

    /** Linux 6.2 to 6.18 as the kernel's syscall_64.tbl, syscall_32.tbl and asm-generic unistd.h number them. */
    @Test
    void callsUpToLinux618AreNumberedAsTheKernelDoes() {
        for (Arch arch : new Arch[] {Arch.X86_64, Arch.X86, Arch.AARCH64}) {
            assertEquals(451, SyscallTable.of(arch).number("cachestat").orElseThrow(), arch.name());
            assertEquals(452, SyscallTable.of(arch).number("fchmodat2").orElseThrow(), arch.name());
            assertEquals(462, SyscallTable.of(arch).number("mseal").orElseThrow(), arch.name());
            assertEquals(469, SyscallTable.of(arch).number("file_setattr").orElseThrow(), arch.name());
        }
        assertEquals(Arch.X32_SYSCALL_BIT | 464, SyscallTable.of(Arch.X32).number("getxattrat").orElseThrow());
        assertEquals(453, SyscallTable.of(Arch.X86_64).number("map_shadow_stack").orElseThrow());
        assertTrue(SyscallTable.of(Arch.X86).number("map_shadow_stack").isEmpty(), "64-bit only");
        assertTrue(SyscallTable.of(Arch.X32).number("map_shadow_stack").isEmpty(), "64-bit only");
        assertEquals(335, SyscallTable.of(Arch.X86_64).number("uretprobe").orElseThrow());
        assertTrue(SyscallTable.of(Arch.AARCH64).number("uretprobe").isEmpty(), "x86_64 only");
        assertEquals(19, SyscallTable.of(Arch.AARCH64).numbers().stream().filter(nr -> nr > 450).count());
    }

    @Test
    void x32NumbersCarryTheX32Bit() {
        SyscallTable x32 = SyscallTable.of(Arch.X32);
        assertEquals(Arch.X32_SYSCALL_BIT, x32.number("read").orElseThrow());
        assertEquals(Arch.X32_SYSCALL_BIT | 512, x32.number("rt_sigaction").orElseThrow());
        assertTrue(x32.numbers().stream().allMatch(nr -> (nr & Arch.X32_SYSCALL_BIT) != 0));
    }

    @Test
    void aarch64UsesTheGenericTable() {
        SyscallTable arm64 = SyscallTable.of(Arch.AARCH64);
        assertEquals(63, arm64.number("read").orElseThrow());
        assertEquals(435, arm64.number("clone3").orElseThrow());
        assertTrue(arm64.number("open").isEmpty(), "arm64 has only openat");
    }

    @Test
    void namesFromOtherArchitecturesAreKnownButNotNumbered() {
        assertTrue(SyscallTable.isKnownAnywhere("recv"));
        assertTrue(SyscallTable.of(Arch.X86_64).number("recv").isEmpty());
        assertTrue(!SyscallTable.isKnownAnywhere("frobnicate"));
    }
}
