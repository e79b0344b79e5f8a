package org.attenuator.linux;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * One received seccomp notification. Reusable: {@link NotifyListener#receive(Notification)}
 * overwrites it, using this object's own zeroed native buffer, so a receive loop allocates
 * nothing. Not thread-safe; the values are plain fields and safe to read after hand-off.
 */
public final class Notification {
    final Pointer buffer;
    final int bufferSize;
    private long id;
    private int pid;
    private int flags;
    private int nr;
    private int arch;
    private long instructionPointer;
    private final long[] args = new long[6];

    /** A buffer sized for the running kernel (SECCOMP_GET_NOTIF_SIZES). */
    public Notification() throws NativeException {
        // whole words: receive() zeroes it with 8-byte stores
        this.bufferSize = Math.max(Structs.NOTIF_SIZE, Seccomp.notifSizes().notif()) + 7 & ~7;
        this.buffer = Native.allocate(bufferSize);
    }

    void load() {
        id = buffer.getLong(Structs.NOTIF_ID);
        pid = buffer.getInt(Structs.NOTIF_PID);
        flags = buffer.getInt(Structs.NOTIF_FLAGS);
        nr = buffer.getInt(Structs.NOTIF_NR);
        arch = buffer.getInt(Structs.NOTIF_ARCH);
        instructionPointer = buffer.getLong(Structs.NOTIF_IP);
        for (int i = 0; i < 6; i++) {
            args[i] = buffer.getLong(Structs.NOTIF_ARGS + 8L * i);
        }
    }

    public long id() { return id; }
    /** The calling thread's id in the supervisor's pid namespace (0 if not visible there). */
    public int pid() { return pid; }
    public int flags() { return flags; }
    /** The syscall number, in the numbering of {@link #arch()}. */
    public int nr() { return nr; }
    /** AUDIT_ARCH_* of the call. */
    public int arch() { return arch; }
    public long instructionPointer() { return instructionPointer; }
    /** Register argument i (0..5). */
    public long arg(int i) { return args[i]; }

    @Override
    public String toString() {
        return "Notification[id=" + Long.toUnsignedString(id) + ", pid=" + pid + ", nr=" + nr + ", arch=0x"
                + Integer.toHexString(arch) + ", args=" + java.util.Arrays.toString(args) + "]";
    }
}
