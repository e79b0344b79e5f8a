package org.attenuator.plugin.denylog.internal;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.TargetGoneException;

/** Small real implementations of the supervisor's types, and a target memory made of byte regions. */
final class Fixtures {

    private Fixtures() {
    }

    record Tree(String id, long pid, Map<String, Object> properties) implements SupervisedTree {
    }

    /** A target's memory: regions at addresses; reading outside them fails like a bad pointer. */
    static final class Memory implements ArgumentReader {
        private final TreeMap<Long, byte[]> regions = new TreeMap<>();
        boolean gone;

        Memory put(long address, byte[] bytes) {
            regions.put(address, bytes);
            return this;
        }

        Memory string(long address, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return put(address, z);
        }

        Memory pointers(long address, long... pointers) {
            ByteBuffer b = ByteBuffer.allocate(8 * pointers.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long p : pointers) {
                b.putLong(p);
            }
            return put(address, b.array());
        }

        @Override
        public String readString(long address, int maxBytes) {
            ByteBuffer b = readBytes(address, 1).position(0);
            Map.Entry<Long, byte[]> r = regions.floorEntry(address);
            byte[] bytes = r.getValue();
            int start = (int) (address - r.getKey());
            int end = start;
            while (end < bytes.length && bytes[end] != 0 && end - start < maxBytes) {
                end++;
            }
            return b == null ? null : new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }

        @Override
        public ByteBuffer readBytes(long address, int length) {
            if (gone) {
                throw new TargetGoneException("the notification was answered");
            }
            Map.Entry<Long, byte[]> r = regions.floorEntry(address);
            if (r == null || address + length > r.getKey() + r.getValue().length) {
                throw new UncheckedIOException(new java.io.IOException("process_vm_readv: EFAULT"));
            }
            return ByteBuffer.wrap(r.getValue(), (int) (address - r.getKey()), length).slice();
        }
    }

    record Event(SupervisedTree tree, long pid, Syscall syscall, long[] args, Memory reader) implements SyscallEvent {
        @Override
        public long id() {
            return 7;
        }

        @Override
        public long arg(int index) {
            return args[index];
        }

        @Override
        public long instructionPointer() {
            return 0;
        }
    }

    static Event event(SupervisedTree tree, long pid, String name, int nr, Memory memory, long... args) {
        long[] six = new long[6];
        System.arraycopy(args, 0, six, 0, args.length);
        return new Event(tree, pid, new Syscall(name, nr, "x86_64"), six, memory);
    }
}
