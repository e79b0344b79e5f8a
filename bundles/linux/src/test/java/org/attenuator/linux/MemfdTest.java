package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class MemfdTest {
    @Test
    void writeReadAndSeal() throws Exception {
        try (Fd fd = Memfd.create("attenuator-test", Memfd.CLOEXEC | Memfd.ALLOW_SEALING)) {
            assertTrue(fd.isCloseOnExec());
            assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.intValue())).toString()
                    .startsWith("/memfd:attenuator-test"));
            fd.writeFully("profile bytes".getBytes());
            assertEquals("profile bytes", TestSupport.contents(fd));
            assertEquals(0, Memfd.seals(fd));
            Memfd.addSeals(fd, Memfd.SEAL_WRITE | Memfd.SEAL_GROW | Memfd.SEAL_SHRINK | Memfd.SEAL_SEAL);
            assertEquals(Memfd.SEAL_WRITE | Memfd.SEAL_GROW | Memfd.SEAL_SHRINK | Memfd.SEAL_SEAL, Memfd.seals(fd));
            NativeException e = assertThrows(NativeException.class, () -> fd.write(ByteBuffer.wrap(new byte[1])));
            assertEquals(Errno.EPERM, e.errno());
            NativeException s = assertThrows(NativeException.class, () -> Memfd.addSeals(fd, Memfd.SEAL_WRITE));
            assertEquals("fcntl(F_ADD_SEALS): Operation not permitted (EPERM)", s.getMessage());
        }
    }

    @Test
    void withoutCloexecAndSealing() throws Exception {
        try (Fd fd = Memfd.create("plain", 0)) {
            assertFalse(fd.isCloseOnExec());
            NativeException e = assertThrows(NativeException.class, () -> Memfd.addSeals(fd, Memfd.SEAL_SEAL));
            assertEquals(Errno.EPERM, e.errno());
        }
    }

    @Test
    void badFlagsAreEinval() {
        NativeException e = assertThrows(NativeException.class, () -> Memfd.create("bad", 0x4000_0000));
        assertEquals("memfd_create(bad)", e.syscall());
        assertEquals(Errno.EINVAL, e.errno());
    }
}
