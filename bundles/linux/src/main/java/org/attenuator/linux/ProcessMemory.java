package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.nio.charset.StandardCharsets;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * Reads another process's memory with process_vm_readv(2), through a per-thread native scratch
 * buffer (no allocation after warm-up). What is read may change under you and the pid may be
 * reused: check {@link NotifyListener#isIdValid(long)} before using it.
 */
public final class ProcessMemory {
    /** The most one call reads. */
    public static final int MAX_READ = 64 * 1024;
    private static final LinuxAbi ABI = LinuxAbi.current();
    private static final ThreadLocal<Pointer> SCRATCH =
            ThreadLocal.withInitial(() -> Native.allocate(MAX_READ + 2 * Structs.IOV_SIZE));

    private ProcessMemory() {}

    /**
     * process_vm_readv of len bytes at address in pid into dst[off..]. Returns the bytes read,
     * fewer than len when the range crosses into unmapped memory.
     */
    public static int read(int pid, long address, byte[] dst, int off, int len) throws NativeException {
        if (len < 0 || len > MAX_READ || off < 0 || off + len > dst.length) {
            throw new IllegalArgumentException("bad range off=" + off + " len=" + len);
        }
        Pointer p = SCRATCH.get();
        long data = p.address() + 2 * Structs.IOV_SIZE;
        p.putLong(Structs.IOV_BASE, data);
        p.putLong(Structs.IOV_LEN, len);
        p.putLong(Structs.IOV_SIZE + Structs.IOV_BASE, address);
        p.putLong(Structs.IOV_SIZE + Structs.IOV_LEN, len);
        long n = LIBC.syscall(ABI.sysProcessVmReadv, pid, p.address(), 1, p.address() + Structs.IOV_SIZE, 1, 0);
        if (n < 0) {
            throw new NativeException("process_vm_readv(" + pid + ")", errno());
        }
        p.get(2 * Structs.IOV_SIZE, dst, off, (int) n);
        return (int) n;
    }

    /**
     * A NUL-terminated string of at most max bytes at address (UTF-8, invalid bytes replaced).
     * Reads page by page so a string near the end of a mapping is still found.
     */
    public static String readCString(int pid, long address, int max) throws NativeException {
        byte[] buf = new byte[Math.min(max, MAX_READ)];
        int have = 0;
        while (have < buf.length) {
            long at = address + have;
            int toPageEnd = (int) (4096 - (at & 4095));
            int n = read(pid, at, buf, have, Math.min(toPageEnd, buf.length - have));
            for (int i = have; i < have + n; i++) {
                if (buf[i] == 0) {
                    return new String(buf, 0, i, StandardCharsets.UTF_8);
                }
            }
            if (n == 0) {
                break;
            }
            have += n;
        }
        throw new NativeException("process_vm_readv(" + pid + ")", Errno.ERANGE);
    }
}
