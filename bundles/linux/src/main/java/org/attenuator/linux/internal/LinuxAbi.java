package org.attenuator.linux.internal;

/**
 * Every architecture-specific number Attenuator uses, in one table per architecture: syscall
 * numbers that differ, ioctl numbers, AUDIT_ARCH values and the epoll_event layout. Supporting
 * another architecture means adding a table here, nothing else. Struct layouts that are the same
 * on every LP64 Linux live in {@link Structs}.
 */
public final class LinuxAbi {
    public final String name;
    /** AUDIT_ARCH_* as the kernel puts it in seccomp_data.arch. */
    public final int auditArch;
    public final long sysSeccomp, sysMemfdCreate, sysProcessVmReadv, sysPidfdOpen, sysPidfdGetfd, sysPidfdSendSignal;
    /** SECCOMP_IOCTL_NOTIF_*: _IOC-encoded, generic on x86_64 and aarch64. */
    public final long ioctlNotifRecv, ioctlNotifSend, ioctlNotifIdValid, ioctlNotifAddfd, ioctlNotifSetFlags;
    /** struct epoll_event is packed (12 bytes) on x86_64 only. */
    public final int epollEventSize, epollEventDataOffset;
    /** open(2) flags that aarch64 numbers like 32-bit arm, not like asm-generic. */
    public final int oDirectory, oNofollow;

    public static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    public static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;

    public static final LinuxAbi X86_64 = new LinuxAbi("x86_64", AUDIT_ARCH_X86_64,
            317, 319, 310, 434, 438, 424,
            0xC0502100L, 0xC0182101L, 0x40082102L, 0x40182103L, 0x40082104L,
            12, 4, 0200000, 0400000);

    /** asm-generic numbers; not yet run on real hardware. */
    public static final LinuxAbi AARCH64 = new LinuxAbi("aarch64", AUDIT_ARCH_AARCH64,
            277, 279, 270, 434, 438, 424,
            0xC0502100L, 0xC0182101L, 0x40082102L, 0x40182103L, 0x40082104L,
            16, 8, 040000, 0100000);

    /** The table of the running JVM; null on an architecture without a table. */
    public static final LinuxAbi CURRENT = forOsArch(System.getProperty("os.arch", ""));

    private LinuxAbi(String name, int auditArch, long sysSeccomp, long sysMemfdCreate, long sysProcessVmReadv,
                     long sysPidfdOpen, long sysPidfdGetfd, long sysPidfdSendSignal, long ioctlNotifRecv,
                     long ioctlNotifSend, long ioctlNotifIdValid, long ioctlNotifAddfd, long ioctlNotifSetFlags,
                     int epollEventSize, int epollEventDataOffset, int oDirectory, int oNofollow) {
        this.name = name;
        this.auditArch = auditArch;
        this.sysSeccomp = sysSeccomp;
        this.sysMemfdCreate = sysMemfdCreate;
        this.sysProcessVmReadv = sysProcessVmReadv;
        this.sysPidfdOpen = sysPidfdOpen;
        this.sysPidfdGetfd = sysPidfdGetfd;
        this.sysPidfdSendSignal = sysPidfdSendSignal;
        this.ioctlNotifRecv = ioctlNotifRecv;
        this.ioctlNotifSend = ioctlNotifSend;
        this.ioctlNotifIdValid = ioctlNotifIdValid;
        this.ioctlNotifAddfd = ioctlNotifAddfd;
        this.ioctlNotifSetFlags = ioctlNotifSetFlags;
        this.epollEventSize = epollEventSize;
        this.epollEventDataOffset = epollEventDataOffset;
        this.oDirectory = oDirectory;
        this.oNofollow = oNofollow;
    }

    static LinuxAbi forOsArch(String osArch) {
        switch (osArch) {
            case "amd64": case "x86_64": return X86_64;
            case "aarch64": case "arm64": return AARCH64;
            default: return null;
        }
    }

    /** The table of the running JVM, or an error that says which architecture lacks one. */
    public static LinuxAbi current() {
        if (CURRENT == null) {
            throw new UnsupportedOperationException("no Linux ABI table for os.arch=" + System.getProperty("os.arch"));
        }
        return CURRENT;
    }
}
