package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class FdTest {
    @Test
    void exceptionMessageNamesSyscallAndErrno() {
        NativeException e = new NativeException("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", Errno.ENOENT);
        assertEquals("ioctl(SECCOMP_IOCTL_NOTIF_RECV): No such file or directory (ENOENT)", e.getMessage());
        assertEquals("ENOENT", e.errnoName());
        assertFalse(e.isTargetGone());
        assertTrue(new NotificationGoneException("ioctl(SECCOMP_IOCTL_NOTIF_SEND)").isTargetGone());
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 999", Errno.name(999));
        assertEquals(Errno.EBADF, Errno.fromName("EBADF"));
    }

    @Test
    void pipeCarriesBytesAndBothEndsAreCloseOnExec() throws Exception {
        Fd[] p = Fd.pipe();
        try (Fd r = p[0]; Fd w = p[1]) {
            assertTrue(r.isCloseOnExec());
            assertTrue(w.isCloseOnExec());
            w.writeFully(new byte[] {1, 2, 3});
            w.close();
            assertArrayEquals(new byte[] {1, 2, 3}, r.readUpTo(16));
        }
    }

    @Test
    void pidfdAdoptsAReceivedFd() throws Exception {
        try (Pidfd own = Pidfd.open((int) ProcessHandle.current().pid());
                Pidfd adopted = Pidfd.adopt(own.dup(), (int) ProcessHandle.current().pid())) {
            assertEquals(ProcessHandle.current().pid(), adopted.pid());
            adopted.sendSignal(0);
        }
    }

    @Test
    void closedFdFailsWithEbadfWithoutReachingTheKernel() throws Exception {
        Fd fd = Memfd.create("closed", Memfd.CLOEXEC);
        assertTrue(fd.isOpen());
        fd.close();
        fd.close(); // closes once; the second call is a no-op
        assertFalse(fd.isOpen());
        NativeException e = assertThrows(NativeException.class, () -> fd.write(ByteBuffer.wrap(new byte[1])));
        assertEquals("write", e.syscall());
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("write: Bad file descriptor (EBADF)", e.getMessage());
    }

    @Test
    void kernelEbadfOnAnUnusedNumber() {
        Fd fd = Fd.adopt(1_000_000);
        NativeException e = assertThrows(NativeException.class, () -> fd.read(ByteBuffer.allocate(1)));
        assertEquals("read", e.syscall());
        assertEquals(Errno.EBADF, e.errno());
        NativeException c = assertThrows(NativeException.class, fd::close);
        assertEquals("close: Bad file descriptor (EBADF)", c.getMessage());
    }

    @Test
    void openFailureNamesPathAndErrno() {
        NativeException e = assertThrows(NativeException.class, () -> Fd.open("/nonexistent/x", Fd.O_RDONLY));
        assertEquals("open(/nonexistent/x): No such file or directory (ENOENT)", e.getMessage());
    }

    @Test
    void readAndWriteHonourBufferPositions() throws Exception {
        try (Fd fd = Memfd.create("io", Memfd.CLOEXEC)) {
            ByteBuffer src = ByteBuffer.wrap("xxhello".getBytes());
            src.position(2);
            assertEquals(5, fd.write(src));
            assertEquals(7, src.position());
            ByteBuffer dst = ByteBuffer.allocate(8);
            dst.position(3);
            assertEquals(4, fd.pread(dst, 1));
            assertEquals("ello", new String(dst.array(), 3, 4));
            ByteBuffer direct = ByteBuffer.allocateDirect(5);
            assertEquals(5, fd.pread(direct, 0));
            direct.flip();
            byte[] b = new byte[5];
            direct.get(b);
            assertEquals("hello", new String(b));
        }
    }
}
