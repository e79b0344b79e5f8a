package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.nio.charset.StandardCharsets;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;

/** memfd_create(2) and file seals. */
public final class Memfd {
    public static final int CLOEXEC = 1, ALLOW_SEALING = 2;
    public static final int SEAL_SEAL = 1, SEAL_SHRINK = 2, SEAL_GROW = 4, SEAL_WRITE = 8, SEAL_FUTURE_WRITE = 0x10;
    static final int F_ADD_SEALS = 1033, F_GET_SEALS = 1034;

    private Memfd() {}

    /** memfd_create(name, flags); pass {@link #CLOEXEC} unless the fd must survive exec. */
    public static Fd create(String name, int flags) throws NativeException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        Pointer p = Native.allocate(n.length + 1);
        p.put(0, n, 0, n.length);
        long fd = LIBC.syscall(LinuxAbi.current().sysMemfdCreate, p.address(), flags, 0, 0, 0, 0);
        if (fd < 0) {
            throw new NativeException("memfd_create(" + name + ")", errno());
        }
        return Fd.adopt((int) fd);
    }

    /** fcntl(F_ADD_SEALS). */
    public static void addSeals(Fd fd, int seals) throws NativeException {
        if (LIBC.fcntl(fd.checkedFd("fcntl(F_ADD_SEALS)"), F_ADD_SEALS, seals) != 0) {
            throw new NativeException("fcntl(F_ADD_SEALS)", errno());
        }
    }

    /** fcntl(F_GET_SEALS). */
    public static int seals(Fd fd) throws NativeException {
        int rc = LIBC.fcntl(fd.checkedFd("fcntl(F_GET_SEALS)"), F_GET_SEALS, 0);
        if (rc < 0) {
            throw new NativeException("fcntl(F_GET_SEALS)", errno());
        }
        return rc;
    }
}
