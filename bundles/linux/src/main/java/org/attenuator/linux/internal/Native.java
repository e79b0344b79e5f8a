package org.attenuator.linux.internal;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** Loads {@link LibC} once and hands out native memory. */
public final class Native {
    /** libc, loaded once (the first load costs 90-400 ms of code generation). */
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    public static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {}

    /** errno of the last call on this thread; call it at once, before anything else. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** Zeroed native memory, freed when the returned pointer is collected. */
    public static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }
}
