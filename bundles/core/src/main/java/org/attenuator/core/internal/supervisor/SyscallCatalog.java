package org.attenuator.core.internal.supervisor;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.attenuator.api.Syscall;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;

/**
 * Turns a notification's (AUDIT_ARCH, nr) into a {@link Syscall}, once per syscall: the records are
 * cached so the hot path allocates nothing.
 */
final class SyscallCatalog {

    private static final int CACHED_NUMBERS = 1024;
    private static final Arch[] ARCHES = Arch.values();

    private final AtomicReferenceArray<Syscall> cache = new AtomicReferenceArray<>(ARCHES.length * CACHED_NUMBERS);

    Syscall resolve(int auditArch, int rawNr) {
        Arch arch = archOf(auditArch, rawNr);
        if (arch == null) {
            return new Syscall("#" + rawNr, rawNr, "0x" + Integer.toHexString(auditArch));
        }
        int nr = arch == Arch.X32 ? rawNr & ~Arch.X32_SYSCALL_BIT : rawNr;
        if (nr < 0 || nr >= CACHED_NUMBERS) {
            return describe(arch, rawNr, nr);
        }
        int slot = arch.ordinal() * CACHED_NUMBERS + nr;
        Syscall s = cache.get(slot);
        if (s == null) {
            s = describe(arch, rawNr, nr);
            cache.set(slot, s);
        }
        return s;
    }

    private static Arch archOf(int auditArch, int rawNr) {
        for (Arch a : ARCHES) {
            if (a.auditArch() == auditArch && (a != Arch.X86_64 || (rawNr & Arch.X32_SYSCALL_BIT) == 0)
                    && (a != Arch.X32 || (rawNr & Arch.X32_SYSCALL_BIT) != 0)) {
                return a;
            }
        }
        return null;
    }

    private static Syscall describe(Arch arch, int rawNr, int nr) {
        String name = SyscallTable.of(arch).name(rawNr).orElse("#" + nr);
        return new Syscall(name, nr, apiName(arch));
    }

    /** The ABI names of {@link Syscall#arch()}. */
    private static String apiName(Arch arch) {
        return switch (arch) {
            case X86_64 -> "x86_64";
            case X32 -> "x32";
            case X86 -> "i386";
            case AARCH64 -> "aarch64";
        };
    }
}
