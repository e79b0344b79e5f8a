package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/** A pidfd: a process handle that cannot be confused with a reused pid. Close-on-exec. */
public final class Pidfd extends Fd {
    static final int P_PIDFD = 3, WEXITED = 4, WNOHANG = 1;
    /** PIDFD_THREAD (Linux 6.9): a pidfd for a thread that is not its group's leader; equals O_EXCL. */
    public static final int PIDFD_THREAD = 0x80;
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

    /**
     * Takes ownership of a pidfd received from elsewhere (for example from a fork server, which
     * opened it for its unreaped child) for process {@code pid}.
     */
    public static Pidfd adopt(Fd fd, int pid) {
        return new Pidfd(fd.transfer(), pid);
    }

    /**
     * A pidfd through which a signal reaches the process that {@code tid} belongs to; {@code tid}
     * may be any thread (a seccomp notification names the calling thread). pidfd_open(tid, 0)
     * fails for a thread that is not its group's leader (EINVAL on older kernels, ENOENT as observed on
     * 6.18), so this then opens it with
     * {@link #PIDFD_THREAD} (Linux 6.9+) and, on older kernels, opens the thread group leader
     * named by {@code /proc/TID/status} (Tgid). A process-wide signal such as SIGKILL sent through
     * either kills the whole process.
     *
     * <p>As with {@link #open}, a pid reused between the caller's check and this call is the
     * caller's concern: confirm afterwards that the task still is the one meant (for a
     * notification: SECCOMP_IOCTL_NOTIF_ID_VALID), and only then signal.
     *
     * @throws NativeException ESRCH when the task is gone
     */
    public static Pidfd openTask(int tid) throws NativeException {
        long fd = LIBC.syscall(ABI.sysPidfdOpen, tid, 0, 0, 0, 0, 0);
        if (fd >= 0) {
            return new Pidfd((int) fd, tid);
        }
        int e = errno();
        if (e != Errno.EINVAL && e != Errno.ENOENT) {
            throw new NativeException("pidfd_open(" + tid + ")", e);
        }
        fd = LIBC.syscall(ABI.sysPidfdOpen, tid, PIDFD_THREAD, 0, 0, 0, 0);
        if (fd >= 0) {
            return new Pidfd((int) fd, tid);
        }
        e = errno();
        if (e != Errno.EINVAL) {
            throw new NativeException("pidfd_open(" + tid + ", PIDFD_THREAD)", e);
        }
        return open(threadGroupOf(tid)); // before Linux 6.9
    }

    /** The Tgid line of /proc/TID/status: the pid of the process a thread belongs to. */
    public static int threadGroupOf(int tid) throws NativeException {
        Path status = Path.of("/proc", Integer.toString(tid), "status");
        try (BufferedReader in = Files.newBufferedReader(status)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).trim());
                }
            }
        } catch (NoSuchFileException e) {
            throw new NativeException("open(" + status + ")", Errno.ESRCH);
        } catch (IOException | NumberFormatException e) {
            throw new NativeException("read(" + status + ")", Errno.EIO);
        }
        throw new NativeException("read(" + status + "): no Tgid", Errno.EIO);
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
