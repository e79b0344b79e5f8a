package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;

/**
 * An epoll instance. One thread owns it; a registration carries a 64-bit cookie the owner maps
 * back to its object (keep a cookie -> registration map so a reused fd number cannot be confused).
 */
public final class Epoll extends Fd {
    public static final int IN = 0x001, PRI = 0x002, OUT = 0x004, ERR = 0x008, HUP = 0x010, RDHUP = 0x2000,
            EXCLUSIVE = 1 << 28, ONESHOT = 1 << 30, ET = 1 << 31;
    static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3, EPOLL_CLOEXEC = 02000000;

    private static final LinuxAbi ABI = LinuxAbi.current();
    /** For ctl: written and passed by the owning thread only. */
    private final Pointer ctlEvent = Native.allocate(16);

    private Epoll(int fd) {
        super(fd);
    }

    /** epoll_create1(EPOLL_CLOEXEC). */
    public static Epoll create() throws NativeException {
        int fd = LIBC.epoll_create1(EPOLL_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("epoll_create1", errno());
        }
        return new Epoll(fd);
    }

    public void add(Fd fd, int events, long cookie) throws NativeException {
        ctl(CTL_ADD, "epoll_ctl(EPOLL_CTL_ADD)", fd, events, cookie);
    }

    public void modify(Fd fd, int events, long cookie) throws NativeException {
        ctl(CTL_MOD, "epoll_ctl(EPOLL_CTL_MOD)", fd, events, cookie);
    }

    public void delete(Fd fd) throws NativeException {
        ctl(CTL_DEL, "epoll_ctl(EPOLL_CTL_DEL)", fd, 0, 0);
    }

    private void ctl(int op, String name, Fd fd, int events, long cookie) throws NativeException {
        int ep = checkedFd(name);
        int target = fd.checkedFd(name);
        ctlEvent.putInt(0, events);
        ctlEvent.putLong(ABI.epollEventDataOffset, cookie);
        if (LIBC.epoll_ctl(ep, op, target, ctlEvent.address()) != 0) {
            throw new NativeException(name, errno());
        }
    }

    /**
     * epoll_wait into the reusable events buffer; timeoutMillis -1 blocks. Returns the number of
     * ready entries (0 on timeout; EINTR also returns 0 so the caller's loop just goes round).
     */
    public int wait(Events events, int timeoutMillis) throws NativeException {
        int n = LIBC.epoll_wait(checkedFd("epoll_wait"), events.buffer.address(), events.capacity, timeoutMillis);
        if (n < 0) {
            int e = errno();
            if (e == Errno.EINTR) {
                return 0;
            }
            throw new NativeException("epoll_wait", e);
        }
        return n;
    }

    /** A reusable struct epoll_event array. */
    public static final class Events {
        final Pointer buffer;
        final int capacity;

        public Events(int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacity must be positive");
            }
            this.capacity = capacity;
            this.buffer = Native.allocate(capacity * ABI.epollEventSize);
        }

        public int capacity() {
            return capacity;
        }

        /** The ready events (IN, OUT, HUP, ...) of entry i. */
        public int events(int i) {
            return buffer.getInt((long) i * ABI.epollEventSize);
        }

        /** The cookie given at registration of entry i. */
        public long cookie(int i) {
            return buffer.getLong((long) i * ABI.epollEventSize + ABI.epollEventDataOffset);
        }
    }
}
