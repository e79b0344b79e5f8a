package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.Native;

/**
 * Makes another thread's blocking system call fail with EINTR, with the signal the JDK itself
 * sends for that purpose: NIO interrupts a thread blocked in I/O on a channel being closed with
 * {@code __SIGRTMAX - 2}, whose handler does nothing and is installed without SA_RESTART. Nothing
 * is installed here; {@link #ofJdk()} only confirms that the JDK's handler is in place, because
 * the default action of that signal would end the process.
 * <p>
 * A blocked SECCOMP_IOCTL_NOTIF_RECV cannot be woken any other way (it is not a poll). The signal
 * can also land just before the thread blocks or after it returned, so a caller must repeat it
 * until the thread shows it woke, and every native call on the signalled thread must tolerate
 * EINTR (as every JDK call does).
 *
 * @since 0.2.0
 */
public final class ThreadInterrupter {
    /** The kernel's _NSIG on x86_64 and aarch64; the JDK uses its compile-time __SIGRTMAX. */
    private static final int KERNEL_SIGRTMAX = 64;
    /** The JDK's INTERRUPT_SIGNAL (sun.nio.ch.NativeThread, java.net's linux_close.c). */
    public static final int SIGNAL = KERNEL_SIGRTMAX - 2;

    private static final long SIG_DFL = 0, SIG_IGN = 1;
    private static final int SA_RESTART = 0x10000000;
    /** glibc's struct sigaction on LP64: handler, 128-byte mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152, SIGACTION_FLAGS = 136;

    private final int processId;

    private ThreadInterrupter(int processId) {
        this.processId = processId;
    }

    /**
     * The JDK's interrupt signal, if this JVM has its do-nothing handler installed without
     * SA_RESTART (so a blocked call fails with EINTR instead of resuming); empty otherwise.
     * Makes NIO install it first, by reading a file through a {@link FileChannel}.
     */
    public static Optional<ThreadInterrupter> ofJdk() {
        try (FileChannel channel = FileChannel.open(Path.of("/proc/self/stat"))) {
            channel.read(ByteBuffer.allocate(64)); // the first read initialises sun.nio.ch.NativeThread
        } catch (IOException e) {
            return Optional.empty();
        }
        Pointer old = Native.allocate(SIGACTION_SIZE);
        if (LIBC.sigaction(SIGNAL, 0, old.address()) != 0) {
            return Optional.empty();
        }
        long handler = old.getLong(0);
        boolean usable = handler != SIG_DFL && handler != SIG_IGN && (old.getInt(SIGACTION_FLAGS) & SA_RESTART) == 0;
        return usable ? Optional.of(new ThreadInterrupter(LIBC.getpid())) : Optional.empty();
    }

    /** The calling thread's kernel id (gettid), to pass to {@link #interrupt(int)} from elsewhere. */
    public static int currentThreadId() {
        return LIBC.gettid();
    }

    /**
     * Sends the signal to thread {@code threadId} of this process. A thread that is gone (ESRCH)
     * needs no waking.
     */
    public void interrupt(int threadId) throws NativeException {
        if (LIBC.tgkill(processId, threadId, SIGNAL) != 0) {
            int e = errno();
            if (e != Errno.ESRCH) {
                throw new NativeException("tgkill", e);
            }
        }
    }
}
