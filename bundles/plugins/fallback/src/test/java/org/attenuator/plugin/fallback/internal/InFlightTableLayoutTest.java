package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The in-flight table as the keeper reads it: its layout is defined once, in the keeper's C header
 * native/keeper/table.h; the Java writer must agree with it, field by field, or the keeper answers
 * nothing in flight (the draft layout did exactly that).
 */
class InFlightTableLayoutTest {

    private static final Path TABLE_H = Path.of("../../../native/keeper/table.h");

    /** {@code #define NAME VALUE} of the header, values as numbers (hex or decimal, U suffix dropped). */
    private static Map<String, Long> defines() throws Exception {
        Map<String, Long> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (TBL_\\w+) (0x[0-9a-fA-F]+|\\d+)U?\\b").matcher(Files.readString(TABLE_H));
        while (m.find()) {
            String v = m.group(2);
            out.put(m.group(1), v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
        }
        return out;
    }

    @Test
    void theJavaConstantsAreTheHeaders() throws Exception {
        Map<String, Long> h = defines();
        assertEquals(h.get("TBL_MAGIC"), (long) InFlightTable.MAGIC, "magic");
        assertEquals(h.get("TBL_VERSION"), (long) InFlightTable.VERSION, "version");
        assertEquals(h.get("TBL_HEADER"), (long) InFlightTable.HEADER, "header size");
        assertEquals(h.get("TBL_ID_BYTES"), (long) InFlightTable.ID_BYTES, "tree id bytes");
        assertEquals(h.get("TBL_SLOT_HEADER"), (long) InFlightTable.SLOT_HEADER, "slot header");
        assertEquals(h.get("TBL_ENTRY"), (long) InFlightTable.ENTRY, "entry size");
        assertEquals(h.get("TBL_MAX_SLOTS"), (long) InFlightTable.MAX_SLOTS, "max slots");
        assertEquals(h.get("TBL_MAX_RING"), (long) InFlightTable.MAX_RING, "max ring");
    }

    /** What the Java side writes, read back from the memfd at the offsets the header gives. */
    @Test
    void aRecordedNotificationSitsWhereTheKeeperLooks() throws Exception {
        Map<String, Long> h = defines();
        int header = h.get("TBL_HEADER").intValue(), idBytes = h.get("TBL_ID_BYTES").intValue();
        int slotHeader = h.get("TBL_SLOT_HEADER").intValue(), entry = h.get("TBL_ENTRY").intValue();
        try (InFlightTable table = InFlightTable.create(2, 3)) {
            table.open("first").release();
            InFlightTable.Recorder r = table.open("tree-x"); // slot 0 again
            r.received(0xfedcba9876543210L, 59, 0xc000003e, 4242);
            int second = r.received(0x0123456789abcdefL, 110, 0xc000003e, 4343);
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/fd/" + table.memfd().intValue())))
                    .order(ByteOrder.nativeOrder());
            assertEquals(h.get("TBL_MAGIC").intValue(), b.getInt(0));
            assertEquals(h.get("TBL_VERSION").intValue(), b.getInt(4));
            assertEquals(2, b.getInt(8), "slots");
            assertEquals(3, b.getInt(12), "ring");
            assertTrue(b.capacity() >= header + 2 * (slotHeader + 3 * entry), "size " + b.capacity());
            byte[] name = new byte[idBytes];
            b.get(header, name);
            assertEquals("tree-x", new String(name, StandardCharsets.US_ASCII).replace("\0", ""));
            assertEquals(0x0123456789abcdefL, b.getLong(header + idBytes), "last_id after the tree id");
            // struct tbl_ent { u64 id; u32 nr, arch, pid, reserved; }, entries after the slot header
            int e0 = header + slotHeader, e1 = e0 + second * entry;
            assertEquals(0xfedcba9876543210L, b.getLong(e0));
            assertEquals(59, b.getInt(e0 + 8));
            assertEquals(0xc000003e, b.getInt(e0 + 12));
            assertEquals(4242, b.getInt(e0 + 16));
            assertEquals(0x0123456789abcdefL, b.getLong(e1));
            assertEquals(110, b.getInt(e1 + 8));
            assertEquals(4343, b.getInt(e1 + 16));
        }
    }
}
