package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * A seccomp user-notification listener fd and its ioctls. Receiving uses the caller's reusable
 * {@link Notification}; answering uses a per-thread native scratch buffer, so neither allocates
 * after warm-up, and several threads may answer concurrently. ENOENT from RECV, SEND, ADDFD
 * throws {@link NotificationGoneException}.
 */
public final class NotifyListener extends Fd {
    public static final int USER_NOTIF_FLAG_CONTINUE = 1;
    public static final int ADDFD_FLAG_SETFD = 1, ADDFD_FLAG_SEND = 2;
    public static final long USER_NOTIF_FD_SYNC_WAKE_UP = 1;

    static final String RECV = "ioctl(SECCOMP_IOCTL_NOTIF_RECV)", SEND = "ioctl(SECCOMP_IOCTL_NOTIF_SEND)",
            ID_VALID = "ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID)", ADDFD = "ioctl(SECCOMP_IOCTL_NOTIF_ADDFD)",
            SET_FLAGS = "ioctl(SECCOMP_IOCTL_NOTIF_SET_FLAGS)";

    private static final LinuxAbi ABI = LinuxAbi.current();
    private static final ThreadLocal<Pointer> SCRATCH = ThreadLocal.withInitial(() -> Native.allocate(64));
    private static final int RESP_SIZE;
    static {
        int size;
        try {
            size = Math.max(Structs.RESP_SIZE, Seccomp.notifSizes().resp());
        } catch (NativeException e) {
            size = Structs.RESP_SIZE;
        }
        RESP_SIZE = Math.min(size + 7 & ~7, 64); // whole words: send() zeroes the tail with 8-byte stores
    }

    NotifyListener(int fd) {
        super(fd);
    }

    /** Takes ownership of a listener fd received from elsewhere (SCM_RIGHTS, pidfd_getfd). */
    public static NotifyListener adopt(Fd fd) {
        return new NotifyListener(fd.transfer());
    }

    /**
     * SECCOMP_IOCTL_NOTIF_RECV into n (zeroed first, as the kernel requires). Blocks until a
     * notification is pending unless the caller polled first. A signal (see
     * {@link ThreadInterrupter}) ends the wait with a NativeException whose errno is EINTR; since
     * Linux 6.6 the wait also ends, with NotificationGoneException, once every task of the filter is gone.
     */
    public void receive(Notification n) throws NativeException {
        int fd = checkedFd(RECV);
        for (int offset = 0; offset < n.bufferSize; offset += 8) { // plain stores: cheaper than a setMemory call
            n.buffer.putLong(offset, 0);
        }
        if (LIBC.ioctl(fd, ABI.ioctlNotifRecv, n.buffer.address()) != 0) {
            int e = errno();
            throw e == Errno.ENOENT ? new NotificationGoneException(RECV) : new NativeException(RECV, e);
        }
        n.load();
    }

    /** SECCOMP_IOCTL_NOTIF_SEND. error is a negative errno (0 for success with val). EINTR is retried. */
    public void send(long id, long val, int error, int flags) throws NativeException {
        int fd = checkedFd(SEND);
        Pointer p = SCRATCH.get();
        for (int offset = Structs.RESP_SIZE; offset < RESP_SIZE; offset += 8) { // what the fields below leave
            p.putLong(offset, 0);
        }
        p.putLong(Structs.RESP_ID, id);
        p.putLong(Structs.RESP_VAL, val);
        p.putInt(Structs.RESP_ERROR, error);
        p.putInt(Structs.RESP_FLAGS, flags);
        int e;
        do {
            if (LIBC.ioctl(fd, ABI.ioctlNotifSend, p.address()) == 0) {
                return;
            }
            e = errno();
        } while (e == Errno.EINTR);
        throw e == Errno.ENOENT ? new NotificationGoneException(SEND) : new NativeException(SEND, e);
    }

    /** Lets the syscall run in the kernel (USER_NOTIF_FLAG_CONTINUE). */
    public void sendContinue(long id) throws NativeException {
        send(id, 0, 0, USER_NOTIF_FLAG_CONTINUE);
    }

    /** Fails the syscall with errno (a positive value such as {@link Errno#EPERM}). */
    public void sendError(long id, int errno) throws NativeException {
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        send(id, 0, -errno, 0);
    }

    /** Makes the syscall return val without running it. */
    public void sendValue(long id, long val) throws NativeException {
        send(id, val, 0, 0);
    }

    /**
     * SECCOMP_IOCTL_NOTIF_ID_VALID: whether id is still pending (the target has not gone and was
     * not interrupted). Check it after reading target memory and before using what was read.
     * EINTR is retried.
     */
    public boolean isIdValid(long id) throws NativeException {
        int fd = checkedFd(ID_VALID);
        Pointer p = SCRATCH.get();
        p.putLong(0, id);
        int e;
        do {
            if (LIBC.ioctl(fd, ABI.ioctlNotifIdValid, p.address()) == 0) {
                return true;
            }
            e = errno();
        } while (e == Errno.EINTR);
        if (e == Errno.ENOENT) {
            return false;
        }
        throw new NativeException(ID_VALID, e);
    }

    /**
     * SECCOMP_IOCTL_NOTIF_ADDFD: installs a copy of src in the target. With
     * {@link #ADDFD_FLAG_SETFD} at number newFd; with {@link #ADDFD_FLAG_SEND} it also answers the
     * notification with the new number (atomically). newFdFlags: {@link Fd#O_CLOEXEC} or 0.
     * Returns the fd number in the target. EINTR is retried (the kernel had not installed the fd).
     */
    public int addFd(long id, Fd src, int newFd, int newFdFlags, int flags) throws NativeException {
        int fd = checkedFd(ADDFD);
        int srcFd = src.checkedFd(ADDFD);
        Pointer p = SCRATCH.get();
        p.setMemory(0, Structs.ADDFD_SIZE, (byte) 0);
        p.putLong(Structs.ADDFD_ID, id);
        p.putInt(Structs.ADDFD_FLAGS, flags);
        p.putInt(Structs.ADDFD_SRCFD, srcFd);
        p.putInt(Structs.ADDFD_NEWFD, newFd);
        p.putInt(Structs.ADDFD_NEWFD_FLAGS, newFdFlags);
        int rc;
        int e = 0;
        do {
            rc = LIBC.ioctl(fd, ABI.ioctlNotifAddfd, p.address());
        } while (rc < 0 && (e = errno()) == Errno.EINTR);
        if (rc < 0) {
            throw e == Errno.ENOENT ? new NotificationGoneException(ADDFD) : new NativeException(ADDFD, e);
        }
        return rc;
    }

    /**
     * Whether every task of the filter is gone (poll reports POLLHUP, without waiting): no
     * notification can follow. What ends a blocked RECV on kernels before 6.11, where the RECV
     * itself does not return then.
     *
     * @since 0.2.0
     */
    public boolean hungUp() throws NativeException {
        Pointer pollfd = SCRATCH.get(); // struct pollfd: int fd, short events, short revents
        pollfd.putInt(0, checkedFd("poll"));
        pollfd.putInt(4, 0); // events 0: POLLHUP and POLLERR are reported regardless
        int n;
        int e = 0;
        do {
            n = LIBC.poll(pollfd.address(), 1, 0);
        } while (n < 0 && (e = errno()) == Errno.EINTR);
        if (n < 0) {
            throw new NativeException("poll", e);
        }
        return n > 0 && (pollfd.getShort(6) & (Epoll.HUP | Epoll.ERR)) != 0;
    }

    /** SECCOMP_IOCTL_NOTIF_SET_FLAGS, e.g. {@link #USER_NOTIF_FD_SYNC_WAKE_UP} (Linux 6.6). */
    public void setFlags(long flags) throws NativeException {
        if (LIBC.ioctl(checkedFd(SET_FLAGS), ABI.ioctlNotifSetFlags, flags) != 0) {
            throw new NativeException(SET_FLAGS, errno());
        }
    }
}
