package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.Pointer;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * An owned file descriptor: the number is final, {@link #close()} closes it exactly once (an
 * atomic flag decides who closes) and never retries on EINTR, because Linux has released the
 * number by then and a retry could close someone else's fd. Operations on a closed Fd fail with
 * EBADF without reaching the kernel, so a reused number is never touched.
 * <p>
 * The owner closes; hand an Fd to another owner explicitly. Do not close an Fd while another
 * thread still uses it.
 */
public class Fd implements AutoCloseable {
    /** The same on every Linux architecture (O_DIRECTORY and O_NOFOLLOW are not: see LinuxAbi). */
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400,
            O_APPEND = 02000, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    static final int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1, F_DUPFD_CLOEXEC = 1030;
    static final int AT_EMPTY_PATH = 0x1000, STATX_TYPE_MASK = 1, STATX_SIZE_MASK = 0x200;

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not an fd: " + fd);
        }
        this.fd = fd;
    }

    /** Takes ownership of a raw fd number (from another API or a test). */
    public static Fd adopt(int fd) {
        return new Fd(fd);
    }

    /** open(2); the result is close-on-exec. */
    public static Fd open(String path, int flags) throws NativeException {
        int rc = LIBC.open(path, flags | O_CLOEXEC, 0);
        if (rc < 0) {
            throw new NativeException("open(" + path + ")", errno());
        }
        return new Fd(rc);
    }

    /**
     * open(2) with a mode for O_CREAT; the result is close-on-exec.
     *
     * @since 0.3.0
     */
    public static Fd open(String path, int flags, int mode) throws NativeException {
        int rc = LIBC.open(path, flags | O_CLOEXEC, mode);
        if (rc < 0) {
            throw new NativeException("open(" + path + ")", errno());
        }
        return new Fd(rc);
    }

    /** pipe2(O_CLOEXEC): {read end, write end}. */
    public static Fd[] pipe() throws NativeException {
        int[] fds = new int[2];
        if (LIBC.pipe2(fds, O_CLOEXEC) != 0) {
            throw new NativeException("pipe2", errno());
        }
        return new Fd[] {new Fd(fds[0]), new Fd(fds[1])};
    }

    /** The fd number (for logs and maps); valid only while {@link #isOpen()}. */
    public final int intValue() {
        return fd;
    }

    public final boolean isOpen() {
        return !closed.get();
    }

    /**
     * Hands the number to a new owner (e.g. a received fd becoming a {@link NotifyListener}):
     * this Fd counts as closed afterwards and will not close the number.
     */
    final int transfer() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException(this + " is closed");
        }
        return fd;
    }

    /** The number for a call, or EBADF naming that call if this Fd was closed. */
    protected final int checkedFd(String syscall) throws NativeException {
        if (closed.get()) {
            throw new NativeException(syscall, Errno.EBADF);
        }
        return fd;
    }

    /**
     * fcntl(F_DUPFD_CLOEXEC): a second owned Fd for the same open file (for example a copy of a
     * listener for a process that must outlive this one), closed independently of this one.
     */
    public Fd dup() throws NativeException {
        int rc = LIBC.fcntl(checkedFd("fcntl(F_DUPFD_CLOEXEC)"), F_DUPFD_CLOEXEC, 0);
        if (rc < 0) {
            throw new NativeException("fcntl(F_DUPFD_CLOEXEC)", errno());
        }
        return new Fd(rc);
    }

    /** Closes once; later calls do nothing. EINTR is not an error: the fd is gone anyway. */
    @Override
    public void close() throws NativeException {
        if (closed.compareAndSet(false, true)) {
            if (LIBC.close(fd) != 0) {
                int e = errno();
                if (e != Errno.EINTR) {
                    throw new NativeException("close", e);
                }
            }
        }
    }

    /** read(2) into dst's remaining space; returns the count (0 at EOF) and advances dst. */
    public int read(ByteBuffer dst) throws NativeException {
        long n = LIBC.read(checkedFd("read"), dst, dst.remaining());
        if (n < 0) {
            throw new NativeException("read", errno());
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** pread(2) at a file offset (e.g. /proc/PID/mem at an address); advances dst. */
    public int pread(ByteBuffer dst, long offset) throws NativeException {
        long n = LIBC.pread(checkedFd("pread"), dst, dst.remaining(), offset);
        if (n < 0) {
            throw new NativeException("pread", errno());
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** write(2) of src's remaining bytes (one call, may be partial); advances src. */
    public int write(ByteBuffer src) throws NativeException {
        long n = LIBC.write(checkedFd("write"), src, src.remaining());
        if (n < 0) {
            throw new NativeException("write", errno());
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }

    /** Writes all of b, looping over partial writes. */
    public void writeFully(byte[] b) throws NativeException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            write(buf);
        }
    }

    /** Reads until EOF or max bytes. */
    public byte[] readUpTo(int max) throws NativeException {
        ByteBuffer buf = ByteBuffer.allocate(max);
        while (buf.hasRemaining() && read(buf) > 0) {
            // keep reading
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    /**
     * statx(fd, "", AT_EMPTY_PATH): the type and size of the open file itself, not of a path.
     *
     * @since 0.3.0
     */
    public FileStatus status() throws NativeException {
        Pointer buf = Native.allocate(Structs.STATX_SIZEOF);
        if (LIBC.statx(checkedFd("statx"), "", AT_EMPTY_PATH, STATX_TYPE_MASK | STATX_SIZE_MASK, buf.address()) != 0) {
            throw new NativeException("statx", errno());
        }
        return new FileStatus(Short.toUnsignedInt(buf.getShort(Structs.STATX_MODE)), buf.getLong(Structs.STATX_SIZE));
    }

    /** fcntl(F_GETFD) & FD_CLOEXEC. */
    public boolean isCloseOnExec() throws NativeException {
        int rc = LIBC.fcntl(checkedFd("fcntl(F_GETFD)"), F_GETFD, 0);
        if (rc < 0) {
            throw new NativeException("fcntl(F_GETFD)", errno());
        }
        return (rc & FD_CLOEXEC) != 0;
    }

    /**
     * fcntl(F_SETFL, O_NONBLOCK): a call that would wait fails with EAGAIN instead, for an fd read
     * only when epoll reports it ready (one thread serving many peers must never wait on one).
     */
    public void setNonBlocking() throws NativeException {
        int fd = checkedFd("fcntl(F_SETFL)");
        int flags = LIBC.fcntl(fd, F_GETFL, 0);
        if (flags < 0 || LIBC.fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
            throw new NativeException("fcntl(F_SETFL, O_NONBLOCK)", errno());
        }
    }

    /** fchmod(2), e.g. on a socket or memfd. */
    public void chmod(int mode) throws NativeException {
        if (LIBC.fchmod(checkedFd("fchmod"), mode) != 0) {
            throw new NativeException("fchmod", errno());
        }
    }

    /** chmod(2) by path, e.g. for a bound socket file (fchmod does not reach it). */
    public static void chmod(String path, int mode) throws NativeException {
        if (LIBC.chmod(path, mode) != 0) {
            throw new NativeException("chmod(" + path + ")", errno());
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + fd + (isOpen() ? ")" : ", closed)");
    }
}
