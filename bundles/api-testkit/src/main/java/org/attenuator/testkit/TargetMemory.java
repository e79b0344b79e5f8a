package org.attenuator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.TargetGoneException;

/**
 * A target's memory made of regions at addresses, read as the supervisor reads a real target's:
 * a read outside every region fails like a bad pointer ({@link UncheckedIOException}, EFAULT), and
 * once {@link #gone()} every read fails with {@link TargetGoneException}.
 */
public final class TargetMemory implements ArgumentReader {

    private final TreeMap<Long, byte[]> regions = new TreeMap<>();
    private volatile boolean gone;

    /** {@code bytes} at {@code address}. */
    public TargetMemory put(long address, byte[] bytes) {
        regions.put(address, bytes.clone());
        return this;
    }

    /** {@code s} in UTF-8 and a terminating NUL at {@code address}, as a C string. */
    public TargetMemory string(long address, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return put(address, z);
    }

    /** An array of 64-bit pointers (little-endian) at {@code address}, as an argv. */
    public TargetMemory pointers(long address, long... pointers) {
        ByteBuffer b = ByteBuffer.allocate(8 * pointers.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long p : pointers) {
            b.putLong(p);
        }
        return put(address, b.array());
    }

    /** From now on the target is gone (answered, or exited): every read fails as the supervisor's would. */
    public TargetMemory gone() {
        gone = true;
        return this;
    }

    @Override
    public String readString(long address, int maxBytes) {
        readBytes(address, 1); // fails as a read of the first byte would
        Map.Entry<Long, byte[]> r = regions.floorEntry(address);
        byte[] bytes = r.getValue();
        int start = (int) (address - r.getKey());
        int end = start;
        while (end < bytes.length && bytes[end] != 0 && end - start < maxBytes) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer readBytes(long address, int length) {
        if (gone) {
            throw new TargetGoneException("the notification was answered");
        }
        Map.Entry<Long, byte[]> r = regions.floorEntry(address);
        if (r == null || address + length > r.getKey() + r.getValue().length) {
            throw new UncheckedIOException(new IOException("process_vm_readv: Bad address (EFAULT)"));
        }
        return ByteBuffer.wrap(r.getValue(), (int) (address - r.getKey()), length).slice().asReadOnlyBuffer();
    }
}
