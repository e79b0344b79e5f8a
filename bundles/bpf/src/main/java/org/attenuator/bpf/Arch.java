package org.attenuator.bpf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The architectures (system call ABIs) a filter can cover. x32 shares x86_64's audit arch;
 * its system call numbers carry {@link #X32_SYSCALL_BIT} instead.
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", "amd64", 0xC000003E, false),
    X86("SCMP_ARCH_X86", "386", 0x40000003, true),
    X32("SCMP_ARCH_X32", "x32", 0xC000003E, false),
    AARCH64("SCMP_ARCH_AARCH64", "arm64", 0xC00000B7, false);

    /** Set in seccomp_data.nr for every x32 system call. */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private final String scmpName;
    private final String goArch;
    private final int auditArch;
    private final boolean registers32;

    Arch(String scmpName, String goArch, int auditArch, boolean registers32) {
        this.scmpName = scmpName;
        this.goArch = goArch;
        this.auditArch = auditArch;
        this.registers32 = registers32;
    }

    /** The libseccomp / OCI name, e.g. {@code SCMP_ARCH_X86_64}. */
    public String scmpName() {
        return scmpName;
    }

    /** The Go GOARCH name, which Docker profiles use in {@code includes.arches}. */
    public String goArch() {
        return goArch;
    }

    /** The AUDIT_ARCH_* value the kernel puts in seccomp_data.arch. */
    public int auditArch() {
        return auditArch;
    }

    /** True when system call arguments are 32-bit registers (the kernel zero-extends them). */
    public boolean hasRegisters32() {
        return registers32;
    }

    /**
     * True when filters compare only the low word of an argument, with the low word of the value:
     * libseccomp does so for i386 and, although x32 passes 64-bit registers, for x32 too. We
     * follow it, so that profiles mean the same as under runc and Docker.
     */
    public boolean comparesLowWordOnly() {
        return registers32 || this == X32;
    }

    public static Optional<Arch> fromScmpName(String name) {
        return Arrays.stream(values()).filter(a -> a.scmpName.equals(name)).findFirst();
    }

    /** Accepts the libseccomp name, the enum name or the Go name, case-insensitively. */
    public static Optional<Arch> parse(String name) {
        return Arrays.stream(values())
                .filter(a -> a.scmpName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)
                        || a.goArch.equalsIgnoreCase(name) || (a == X86 && "i386".equalsIgnoreCase(name)))
                .findFirst();
    }

    /** The architecture this JVM runs on, if it is one of ours. */
    public static Optional<Arch> host() {
        String osArch = System.getProperty("os.arch");
        switch (osArch) {
            case "amd64": case "x86_64": return Optional.of(X86_64);
            case "aarch64": return Optional.of(AARCH64);
            case "x86": case "i386": return Optional.of(X86);
            default: return Optional.empty();
        }
    }
}
