package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * seccomp(2) and the prctl bits it needs. A filter is installed on the calling thread only
 * (with {@link #FILTER_FLAG_TSYNC}: on every thread of the process); in a JVM that is rarely what
 * you want outside tests, which is why Attenuator installs filters from its C launcher.
 */
public final class Seccomp {
    public static final int SET_MODE_FILTER = 1, GET_ACTION_AVAIL = 2, GET_NOTIF_SIZES = 3;

    public static final int FILTER_FLAG_TSYNC = 1, FILTER_FLAG_LOG = 1 << 1, FILTER_FLAG_SPEC_ALLOW = 1 << 2,
            FILTER_FLAG_NEW_LISTENER = 1 << 3, FILTER_FLAG_TSYNC_ESRCH = 1 << 4,
            FILTER_FLAG_WAIT_KILLABLE_RECV = 1 << 5;

    public static final int RET_KILL_PROCESS = 0x80000000, RET_KILL_THREAD = 0, RET_TRAP = 0x00030000,
            RET_ERRNO = 0x00050000, RET_USER_NOTIF = 0x7fc00000, RET_TRACE = 0x7ff00000, RET_LOG = 0x7ffc0000,
            RET_ALLOW = 0x7fff0000;

    static final int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
    /** Size of one struct sock_filter. */
    public static final int SOCK_FILTER_SIZE = 8;
    private static final int CAP_SYS_ADMIN = 21;

    /** Sizes the running kernel uses for the notification structs. */
    public record NotifSizes(int notif, int resp, int data) {}

    private Seccomp() {}

    /** prctl(PR_SET_NO_NEW_PRIVS, 1) for the calling thread (inherited by children). */
    public static void setNoNewPrivs() throws NativeException {
        if (LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            throw new NativeException("prctl(PR_SET_NO_NEW_PRIVS)", errno());
        }
    }

    /** prctl(PR_GET_NO_NEW_PRIVS) of the calling thread. */
    public static boolean noNewPrivs() throws NativeException {
        int rc = LIBC.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        if (rc < 0) {
            throw new NativeException("prctl(PR_GET_NO_NEW_PRIVS)", errno());
        }
        return rc == 1;
    }

    /**
     * Whether the process has CAP_SYS_ADMIN in its effective set (then a filter can be installed
     * without NO_NEW_PRIVS). Read from /proc/self/status CapEff.
     */
    public static boolean hasCapSysAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_SYS_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * seccomp(SECCOMP_SET_MODE_FILTER) without a listener. The program is raw struct sock_filter
     * in native byte order (what libseccomp's seccomp_export_bpf writes). Returns the kernel's
     * result: 0, or with TSYNC the id of a thread that could not be synchronized.
     */
    public static int installFilter(byte[] program, int flags) throws NativeException {
        if ((flags & FILTER_FLAG_NEW_LISTENER) != 0) {
            throw new IllegalArgumentException("use installFilterWithListener for FILTER_FLAG_NEW_LISTENER");
        }
        return (int) setModeFilter(program, flags);
    }

    /** seccomp(SECCOMP_SET_MODE_FILTER, flags | NEW_LISTENER): the new filter's listener. */
    public static NotifyListener installFilterWithListener(byte[] program, int flags) throws NativeException {
        return new NotifyListener((int) setModeFilter(program, flags | FILTER_FLAG_NEW_LISTENER));
    }

    private static long setModeFilter(byte[] program, int flags) throws NativeException {
        if (program.length == 0 || program.length % SOCK_FILTER_SIZE != 0 || program.length / SOCK_FILTER_SIZE > 4096) {
            throw new IllegalArgumentException("not a sock_filter array of 1..4096 instructions: " + program.length + " bytes");
        }
        Pointer insns = Native.allocate(program.length);
        insns.put(0, program, 0, program.length);
        Pointer fprog = Native.allocate(Structs.FPROG_SIZE);
        fprog.putShort(Structs.FPROG_LEN, (short) (program.length / SOCK_FILTER_SIZE));
        fprog.putLong(Structs.FPROG_FILTER, insns.address());
        long rc = LIBC.syscall(LinuxAbi.current().sysSeccomp, SET_MODE_FILTER, flags, fprog.address(), 0, 0, 0);
        if (rc < 0) {
            throw new NativeException("seccomp(SECCOMP_SET_MODE_FILTER, 0x" + Integer.toHexString(flags) + ")", errno());
        }
        return rc;
    }

    /** seccomp(SECCOMP_GET_ACTION_AVAIL): whether the kernel knows this SECCOMP_RET_* action. */
    public static boolean isActionAvailable(int action) throws NativeException {
        Pointer p = Native.allocate(4);
        p.putInt(0, action);
        long rc = LIBC.syscall(LinuxAbi.current().sysSeccomp, GET_ACTION_AVAIL, 0, p.address(), 0, 0, 0);
        if (rc == 0) {
            return true;
        }
        int e = errno();
        if (e == Errno.EOPNOTSUPP) {
            return false;
        }
        throw new NativeException("seccomp(SECCOMP_GET_ACTION_AVAIL)", e);
    }

    /** seccomp(SECCOMP_GET_NOTIF_SIZES). */
    public static NotifSizes notifSizes() throws NativeException {
        Pointer p = Native.allocate(Structs.SIZES_SIZE);
        long rc = LIBC.syscall(LinuxAbi.current().sysSeccomp, GET_NOTIF_SIZES, 0, p.address(), 0, 0, 0);
        if (rc != 0) {
            throw new NativeException("seccomp(SECCOMP_GET_NOTIF_SIZES)", errno());
        }
        return new NotifSizes(p.getShort(Structs.SIZES_NOTIF) & 0xffff, p.getShort(Structs.SIZES_RESP) & 0xffff,
                p.getShort(Structs.SIZES_DATA) & 0xffff);
    }

    /** The AUDIT_ARCH_* value of the running JVM's architecture. */
    public static int nativeAuditArch() {
        return LinuxAbi.current().auditArch;
    }

    /** The running architecture's name (x86_64, aarch64). */
    public static String archName() {
        return LinuxAbi.current().name;
    }
}
