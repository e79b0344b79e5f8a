package org.attenuator.linux;

import java.io.IOException;

/**
 * A failed system call: names the call and the errno, e.g.
 * {@code ioctl(SECCOMP_IOCTL_NOTIF_RECV): No such file or directory (ENOENT)}.
 */
public class NativeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String syscall;
    private final int errno;

    public NativeException(String syscall, int errno) {
        super(syscall + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")");
        this.syscall = syscall;
        this.errno = errno;
    }

    /** The call as written in the message, e.g. {@code ioctl(SECCOMP_IOCTL_NOTIF_SEND)}. */
    public String syscall() {
        return syscall;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * True when a notification's target went away (it exited or a signal interrupted the
     * syscall): nothing to answer, nothing to log loudly.
     */
    public boolean isTargetGone() {
        return false;
    }
}
