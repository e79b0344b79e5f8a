package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.Errno;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.ProcessMemory;

/**
 * The observers' reader for what {@link ArgumentSnapshot} did not take: reads the calling thread's
 * memory after the answer with process_vm_readv, and checks before and after each read that the
 * thread id still names the same thread (its start time in {@code /proc/TID/stat}, taken while the
 * notification was pending, before the answer). Best effort, for logging only: the memory may have
 * changed since the call (another thread, or the caller itself after its syscall failed), and a
 * killed caller is gone.
 */
final class AfterAnswerReader implements ArgumentReader {

    private final int tid;
    private final long startTime;

    private AfterAnswerReader(int tid, long startTime) {
        this.tid = tid;
        this.startTime = startTime;
    }

    /**
     * Takes the caller's start time; call it while the notification is pending. A successful answer
     * afterwards proves the thread was the caller meanwhile. Null when /proc cannot tell.
     */
    static AfterAnswerReader before(long tid) {
        long start = startTime((int) tid);
        return start < 0 ? null : new AfterAnswerReader((int) tid, start);
    }

    @Override
    public String readString(long address, int maxBytes) {
        checkSameThread();
        String s;
        try {
            s = ProcessMemory.readCString(tid, address, maxBytes);
        } catch (NativeException e) {
            checkSameThread();
            throw new UncheckedIOException(e);
        }
        checkSameThread();
        return s;
    }

    @Override
    public ByteBuffer readBytes(long address, int length) {
        checkSameThread();
        byte[] bytes = new byte[length];
        int n;
        try {
            n = ProcessMemory.read(tid, address, bytes, 0, length);
        } catch (NativeException e) {
            checkSameThread();
            throw new UncheckedIOException(e);
        }
        checkSameThread();
        if (n < length) {
            throw new UncheckedIOException(new NativeException("process_vm_readv(" + tid + ") short read", Errno.EFAULT));
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private void checkSameThread() {
        if (startTime(tid) != startTime) {
            throw new TargetGoneException("thread " + tid + " is gone");
        }
    }

    /** Field 22 of {@code /proc/TID/stat} (clock ticks since boot), -1 when the thread is gone. */
    static long startTime(int tid) {
        String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(tid), "stat")), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return -1;
        }
        int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (end < 0) {
            return -1;
        }
        String[] fields = stat.substring(end + 2).split(" ");
        // fields[0] is field 3 (state): field 22 is fields[19]
        try {
            return fields.length > 19 ? Long.parseLong(fields[19]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
