package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.attenuator.core.spi.InFlightRecorder;
import org.attenuator.linux.Fd;
import org.attenuator.linux.Memfd;
import org.attenuator.linux.NativeException;

/**
 * The shared in-flight table (docs/keeper.md): a memfd the keeper maps read-only, in which the
 * supervisor notes per tree the last notification id it received and each notification received
 * and not answered yet, so the keeper can answer those after a crash.
 *
 * <pre>
 * header: u32 magic 'ATTK'; u32 version 2; u32 slots; u32 ring
 * slot:   char tree_id[64]; u64 last_id; ring x { u64 id; u32 nr; u32 arch; u32 pid; u32 reserved }
 * </pre>
 *
 * <p><b>Ordering.</b> The keeper reads the table only after the supervisor's connection closed,
 * which for a crash means after the process died: every store the CPU executed is visible then.
 * What must not happen is the JIT (or the CPU) making the id visible before the entry's nr, arch
 * and pid, or last_id before the entry: a crash in between would show a valid id with a stale nr
 * (answered with the wrong syscall's action, or a {@code kill} sent to a stale pid). So nr/arch/
 * pid are plain stores, then the id and last_id are stored with release semantics (VarHandle on
 * the direct buffer; on x86-64 a plain MOV that the JIT may not hoist above earlier stores). Clearing
 * after the answer is a release store of 0; a clear that is lost in a crash is harmless (the keeper
 * checks ID_VALID, which rejects answered ids).
 */
final class InFlightTable implements AutoCloseable {

    static final int MAGIC = 0x4154544b;
    /**
     * The layout's version. 1 was the keeper's draft (64-byte slot header without last_id,
     * 16-byte entries): a keeper built from it reads this layout at the wrong offsets and answers
     * nothing in flight, so the version says which layout this is and such a keeper refuses it.
     */
    static final int VERSION = 2;
    /** The layout of native/keeper/table.h (InFlightTableLayoutTest checks these against it). */
    static final int HEADER = 16, SLOT_HEADER = 72, ENTRY = 24, ID_BYTES = 64, MAX_SLOTS = 65536, MAX_RING = 4096;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Fd memfd;
    private final MappedByteBuffer buffer;
    private final int slots;
    private final int ring;
    private final int slotBytes;
    private final BitSet used = new BitSet();

    private InFlightTable(Fd memfd, MappedByteBuffer buffer, int slots, int ring) {
        this.memfd = memfd;
        this.buffer = buffer;
        this.slots = slots;
        this.ring = ring;
        this.slotBytes = SLOT_HEADER + ENTRY * ring;
    }

    /**
     * Creates the memfd (MFD_ALLOW_SEALING: the keeper seals it against shrinking), sizes and maps
     * it through /proc/self/fd.
     *
     * @param slots trees that can be tracked at once (1..65536)
     * @param ring notifications per tree that can be in flight at once (1..4096); at least the
     *     supervisor's maxPending so that every one is recorded
     */
    static InFlightTable create(int slots, int ring) throws IOException {
        if (slots < 1 || slots > MAX_SLOTS || ring < 1 || ring > MAX_RING) {
            throw new IllegalArgumentException("slots 1.." + MAX_SLOTS + " and ring 1.." + MAX_RING + ": " + slots + ", " + ring);
        }
        long size = HEADER + (long) slots * (SLOT_HEADER + (long) ENTRY * ring);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("slots x ring too large for one mapping: " + size + " bytes");
        }
        Fd fd = Memfd.create("attenuator-inflight", Memfd.CLOEXEC | Memfd.ALLOW_SEALING);
        boolean success = false;
        try (RandomAccessFile file = new RandomAccessFile("/proc/self/fd/" + fd.intValue(), "rw")) {
            file.setLength(size);
            MappedByteBuffer buffer = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
            buffer.order(ByteOrder.nativeOrder());
            buffer.putInt(0, MAGIC);
            buffer.putInt(4, VERSION);
            buffer.putInt(8, slots);
            buffer.putInt(12, ring);
            success = true;
            return new InFlightTable(fd, buffer, slots, ring);
        } finally {
            if (!success) {
                fd.close();
            }
        }
    }

    /** The memfd to send with {@code SHM}. */
    Fd memfd() {
        return memfd;
    }

    int ring() {
        return ring;
    }

    /** A free slot named {@code custodyId}, or null when every slot is taken. */
    synchronized Recorder open(String custodyId) {
        int slot = used.nextClearBit(0);
        if (slot >= slots) {
            return null;
        }
        used.set(slot);
        int base = HEADER + slot * slotBytes;
        clear(base);
        byte[] id = custodyId.getBytes(StandardCharsets.US_ASCII);
        buffer.put(base, id, 0, Math.min(id.length, ID_BYTES));
        return new Recorder(slot, base);
    }

    private synchronized void release(Recorder r) {
        clear(r.base);
        used.clear(r.slot);
    }

    private void clear(int base) {
        for (int i = 0; i < slotBytes; i += 8) {
            LONG.setRelease(buffer, base + i, 0L);
        }
    }

    /**
     * The table as the keeper would read it now, one line per named slot: slot, tree id, last_id
     * and every entry whose id is set (for logs and tests; not for the hot path).
     */
    synchronized java.util.List<String> describe() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            int base = HEADER + slot * slotBytes;
            if (buffer.get(base) == 0) {
                continue;
            }
            byte[] name = new byte[ID_BYTES];
            buffer.get(base, name);
            int len = 0;
            while (len < ID_BYTES && name[len] != 0) {
                len++;
            }
            StringBuilder b = new StringBuilder().append("slot ").append(slot).append(' ')
                    .append(new String(name, 0, len, StandardCharsets.US_ASCII)).append(" last_id ")
                    .append(Long.toUnsignedString((long) LONG.getAcquire(buffer, base + ID_BYTES))).append(':');
            for (int k = 0; k < ring; k++) {
                int e = base + SLOT_HEADER + k * ENTRY;
                long id = (long) LONG.getAcquire(buffer, e);
                if (id != 0) {
                    b.append(" [").append(k).append("] id ").append(Long.toUnsignedString(id)).append(" nr ")
                            .append(buffer.getInt(e + 8)).append(" pid ").append(buffer.getInt(e + 16)).append(';');
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    /** Nothing to release: the mapping lives until the buffer is collected, so late recorders stay safe. */
    @Override
    public void close() throws NativeException {
        memfd.close();
    }

    /** One tree's slot. {@link #received} runs on the receiving thread only; {@link #answered} on any. */
    final class Recorder implements InFlightRecorder {
        private final int slot;
        private final int base;
        private int cursor;
        private volatile boolean released;

        private Recorder(int slot, int base) {
            this.slot = slot;
            this.base = base;
        }

        @Override
        public int received(long id, int nr, int arch, int pid) {
            int entries = base + SLOT_HEADER;
            for (int n = 0; n < ring; n++) {
                int k = cursor;
                cursor = k + 1 == ring ? 0 : k + 1;
                int e = entries + k * ENTRY;
                if ((long) LONG.getAcquire(buffer, e) == 0L) {
                    buffer.putInt(e + 8, nr);
                    buffer.putInt(e + 12, arch);
                    buffer.putInt(e + 16, pid);
                    LONG.setRelease(buffer, e, id);
                    LONG.setRelease(buffer, base + ID_BYTES, id);
                    return k;
                }
            }
            LONG.setRelease(buffer, base + ID_BYTES, id); // the keeper still finds it past last_id
            return -1;
        }

        @Override
        public void answered(int entry) {
            if (entry >= 0 && !released) {
                LONG.setRelease(buffer, base + SLOT_HEADER + entry * ENTRY, 0L);
            }
        }

        /** The tree ended: the slot is free for another one. */
        void release() {
            released = true;
            InFlightTable.this.release(this);
        }
    }
}
