package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.Native;

/**
 * signalfd(2): the pending signals of a set, read as data instead of run as handlers. A
 * process-directed signal goes to any thread that does not block it, so a signalfd sees one only
 * when every thread blocks it: in a JVM that means blocked before the JVM started (see
 * {@link #blocked}). Close-on-exec and non-blocking: wait for it with {@link Epoll}.
 *
 * @since 0.3.0
 */
public final class SignalFd extends Fd {
    private static final int SFD_NONBLOCK = 04000, SFD_CLOEXEC = 02000000;
    /** struct signalfd_siginfo; ssi_signo is its first field. */
    private static final int SIGINFO_SIZE = 128;
    /** glibc's sigset_t; the kernel reads its first 8 bytes. */
    private static final int SIGSET_SIZE = 128;

    private final Pointer info = Native.allocate(SIGINFO_SIZE);

    private SignalFd(int fd) {
        super(fd);
    }

    /** signalfd(-1, {signals}, SFD_CLOEXEC | SFD_NONBLOCK). */
    public static SignalFd open(int... signals) throws NativeException {
        Pointer set = Native.allocate(SIGSET_SIZE);
        set.putLong(0, mask(signals));
        int fd = LIBC.signalfd(-1, set.address(), SFD_CLOEXEC | SFD_NONBLOCK);
        if (fd < 0) {
            throw new NativeException("signalfd", errno());
        }
        return new SignalFd(fd);
    }

    /** Takes the next pending signal of the set: its number, or 0 when none is pending. */
    public int next() throws NativeException {
        long n = LIBC.read(checkedFd("read(signalfd)"), info.address(), SIGINFO_SIZE);
        if (n == SIGINFO_SIZE) {
            return info.getInt(0);
        }
        int e = n < 0 ? errno() : Errno.EIO;
        if (e == Errno.EAGAIN) {
            return 0;
        }
        throw new NativeException("read(signalfd)", e);
    }

    /**
     * Whether the calling thread blocks every one of {@code signals} (SigBlk of
     * /proc/thread-self/status); false if that cannot be read.
     */
    public static boolean blocked(int... signals) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("SigBlk:")) {
                    long want = mask(signals);
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & want) == want;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: not blocked as far as we can tell
        }
        return false;
    }

    private static long mask(int... signals) {
        long mask = 0;
        for (int s : signals) {
            if (s < 1 || s > 64) {
                throw new IllegalArgumentException("not a signal: " + s);
            }
            mask |= 1L << (s - 1);
        }
        return mask;
    }
}
