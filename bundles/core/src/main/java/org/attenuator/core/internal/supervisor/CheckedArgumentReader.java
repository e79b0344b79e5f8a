package org.attenuator.core.internal.supervisor;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.Errno;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.ProcessMemory;

/**
 * Reads a pending notification's pointer arguments with process_vm_readv, then asks the listener
 * whether the notification is still pending (ID_VALID): only then was the memory the caller's.
 */
final class CheckedArgumentReader implements ArgumentReader {

    private final NotifyListener listener;
    private final long notificationId;
    private final int pid;

    CheckedArgumentReader(NotifyListener listener, long notificationId, int pid) {
        this.listener = listener;
        this.notificationId = notificationId;
        this.pid = pid;
    }

    @Override
    public String readString(long address, int maxBytes) {
        String s;
        try {
            s = ProcessMemory.readCString(pid, address, maxBytes);
        } catch (NativeException e) {
            throw unreadable(e);
        }
        checkStillPending();
        return s;
    }

    @Override
    public ByteBuffer readBytes(long address, int length) {
        byte[] bytes = new byte[length];
        int n;
        try {
            n = ProcessMemory.read(pid, address, bytes, 0, length);
        } catch (NativeException e) {
            throw unreadable(e);
        }
        checkStillPending();
        if (n < length) {
            throw new UncheckedIOException(new NativeException("process_vm_readv(" + pid + ") short read", Errno.EFAULT));
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** A failed read of a gone target is a gone target, not a bad pointer. */
    private RuntimeException unreadable(NativeException e) {
        checkStillPending();
        return new UncheckedIOException(e);
    }

    private void checkStillPending() {
        boolean valid;
        try {
            valid = listener.isIdValid(notificationId);
        } catch (NativeException e) {
            valid = false;
        }
        if (!valid) {
            throw new TargetGoneException("notification " + Long.toUnsignedString(notificationId) + " of pid " + pid
                    + " is no longer pending");
        }
    }
}
