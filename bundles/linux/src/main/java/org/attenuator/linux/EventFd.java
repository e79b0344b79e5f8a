package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.Native;

/** eventfd(2): a counter to wake an epoll loop. Close-on-exec. */
public final class EventFd extends Fd {
    public static final int NONBLOCK = 04000, SEMAPHORE = 1;
    static final int EFD_CLOEXEC = 02000000;
    private static final ThreadLocal<Pointer> SCRATCH = ThreadLocal.withInitial(() -> Native.allocate(8));

    private EventFd(int fd) {
        super(fd);
    }

    /** eventfd(initial, EFD_CLOEXEC | flags), flags from {@link #NONBLOCK}, {@link #SEMAPHORE}. */
    public static EventFd create(int initial, int flags) throws NativeException {
        int fd = LIBC.eventfd(initial, flags | EFD_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("eventfd", errno());
        }
        return new EventFd(fd);
    }

    /** Adds value to the counter (wakes readers and epoll). */
    public void signal(long value) throws NativeException {
        Pointer p = SCRATCH.get();
        p.putLong(0, value);
        if (LIBC.write(checkedFd("write(eventfd)"), p.address(), 8) != 8) {
            throw new NativeException("write(eventfd)", errno());
        }
    }

    /** Reads and resets the counter; with NONBLOCK and a zero counter, returns 0. */
    public long drain() throws NativeException {
        Pointer p = SCRATCH.get();
        if (LIBC.read(checkedFd("read(eventfd)"), p.address(), 8) != 8) {
            int e = errno();
            if (e == Errno.EAGAIN) {
                return 0;
            }
            throw new NativeException("read(eventfd)", e);
        }
        return p.getLong(0);
    }
}
