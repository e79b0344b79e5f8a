package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/** A pidfd: a process handle that cannot be confused with a reused pid. Close-on-exec. */
public final class Pidfd extends Fd {
    static final int P_PIDFD = 3, WEXITED = 4, WNOHANG = 1;
    private static final LinuxAbi ABI = LinuxAbi.current();
    private final int pid;

    private Pidfd(int fd, int pid) {
        super(fd);
        this.pid = pid;
    }

    /** pidfd_open(pid, 0). */
    public static Pidfd open(int pid) throws NativeException {
        long fd = LIBC.syscall(ABI.sysPidfdOpen, pid, 0, 0, 0, 0, 0);
        if (fd < 0) {
            throw new NativeException("pidfd_open(" + pid + ")", errno());
        }
        return new Pidfd((int) fd, pid);
    }

    /** The pid this pidfd was opened for. */
    public int pid() {
        return pid;
    }

    /** pidfd_getfd(2): a close-on-exec copy of the process's fd targetFd (needs ptrace rights). */
    public Fd getFd(int targetFd) throws NativeException {
        long fd = LIBC.syscall(ABI.sysPidfdGetfd, checkedFd("pidfd_getfd"), targetFd, 0, 0, 0, 0);
        if (fd < 0) {
            throw new NativeException("pidfd_getfd(" + pid + ", " + targetFd + ")", errno());
        }
        return Fd.adopt((int) fd);
    }

    /** pidfd_send_signal(2). */
    public void sendSignal(int signal) throws NativeException {
        if (LIBC.syscall(ABI.sysPidfdSendSignal, checkedFd("pidfd_send_signal"), signal, 0, 0, 0, 0) != 0) {
            throw new NativeException("pidfd_send_signal(" + pid + ", " + signal + ")", errno());
        }
    }

    /**
     * waitid(P_PIDFD, WEXITED): reaps the process, which must be a child of this process that
     * nothing else reaps (not a java.lang.Process: the JDK reaps those). Blocks unless noHang;
     * returns null when noHang and the child is still running. EINTR is retried.
     */
    public ExitStatus waitFor(boolean noHang) throws NativeException {
        Pointer info = Native.allocate(Structs.SIGINFO_SIZE);
        int options = WEXITED | (noHang ? WNOHANG : 0);
        while (LIBC.waitid(P_PIDFD, checkedFd("waitid(P_PIDFD)"), info.address(), options) != 0) {
            int e = errno();
            if (e != Errno.EINTR) {
                throw new NativeException("waitid(P_PIDFD, " + pid + ")", e);
            }
        }
        if (info.getInt(Structs.SIGINFO_PID) == 0) {
            return null;
        }
        return new ExitStatus(info.getInt(Structs.SIGINFO_PID), info.getInt(Structs.SIGINFO_CODE),
                info.getInt(Structs.SIGINFO_STATUS));
    }
}
