package org.attenuator.core.internal.supervisor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.ProcessMemory;

/**
 * The caller's memory at the pointer arguments of a denied, killed or audited call, read while the
 * call still waits and confirmed with ID_VALID: the decision is made, so reading cannot change it,
 * and what the observers log is what the call was given, even when the caller reuses its buffer or
 * exits right after the answer. A read outside what was taken (a nested pointer such as execve's
 * argv strings, a string longer than {@link #WINDOW}) goes to the after-answer reader, best effort.
 */
final class ArgumentSnapshot implements ArgumentReader {

    /** Bytes taken at each argument that may be a pointer: PATH_MAX, the longest path a call takes. */
    static final int WINDOW = 4096;
    /** Below this no user mapping lies (the kernel's mmap_min_addr is at least a page). */
    private static final long LOWEST_POINTER = 4096;
    private static final long HIGHEST_POINTER_64 = 0x0000_7fff_ffff_ffffL;
    private static final long HIGHEST_POINTER_32 = 0xffff_ffffL;
    private static final int ARGS = 6;

    private final long[] starts;
    private final byte[][] windows;
    private final ArgumentReader after;

    private ArgumentSnapshot(long[] starts, byte[][] windows, ArgumentReader after) {
        this.starts = starts;
        this.windows = windows;
        this.after = after;
    }

    /**
     * Reads a window at every argument of {@code call} that may be a pointer, then checks the call
     * still waits; if it does not, nothing read is kept (the thread may be another one by now).
     *
     * @param after the reader for what the snapshot lacks; null when there is none
     */
    static ArgumentSnapshot take(PendingCall call, ArgumentReader after) {
        long highest = call.syscall().arch().equals("x86_64") || call.syscall().arch().equals("aarch64")
                ? HIGHEST_POINTER_64 : HIGHEST_POINTER_32;
        long[] starts = new long[ARGS];
        byte[][] windows = new byte[ARGS][];
        int taken = 0;
        for (int i = 0; i < ARGS; i++) {
            long address = call.arg(i);
            if (address < LOWEST_POINTER || address > highest) {
                continue;
            }
            byte[] window = new byte[WINDOW];
            int n;
            try {
                n = ProcessMemory.read((int) call.pid(), address, window, 0, WINDOW);
            } catch (NativeException notMapped) {
                continue;
            }
            starts[taken] = address;
            windows[taken++] = n == WINDOW ? window : Arrays.copyOf(window, n);
        }
        if (!call.stillWaits()) {
            taken = 0;
        }
        return new ArgumentSnapshot(Arrays.copyOf(starts, taken), Arrays.copyOf(windows, taken), after);
    }

    @Override
    public String readString(long address, int maxBytes) {
        int w = windowOf(address);
        if (w >= 0) {
            byte[] window = windows[w];
            int from = (int) (address - starts[w]);
            int limit = (int) Math.min(window.length, (long) from + maxBytes);
            for (int i = from; i < limit; i++) {
                if (window[i] == 0) {
                    return new String(window, from, i - from, StandardCharsets.UTF_8);
                }
            }
            if (limit - from == maxBytes) {
                return new String(window, from, maxBytes, StandardCharsets.UTF_8);
            }
        }
        return fallback().readString(address, maxBytes);
    }

    @Override
    public ByteBuffer readBytes(long address, int length) {
        int w = windowOf(address);
        if (w >= 0 && address - starts[w] + length <= windows[w].length) {
            int from = (int) (address - starts[w]);
            return ByteBuffer.wrap(Arrays.copyOfRange(windows[w], from, from + length)).asReadOnlyBuffer();
        }
        return fallback().readBytes(address, length);
    }

    private int windowOf(long address) {
        for (int i = 0; i < starts.length; i++) {
            if (address >= starts[i] && address - starts[i] < windows[i].length) {
                return i;
            }
        }
        return -1;
    }

    private ArgumentReader fallback() {
        if (after == null) {
            throw new TargetGoneException("the caller's memory was not taken before the answer and cannot be read now");
        }
        return after;
    }
}
