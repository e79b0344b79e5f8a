package org.attenuator.api;

import org.osgi.annotation.versioning.ProviderType;

/** One notified syscall of a supervised tree, waiting for its answer. */
@ProviderType
public interface SyscallEvent {

    /** The kernel's notification id, unique on its listener. */
    long id();

    /** The tree the calling process belongs to. */
    SupervisedTree tree();

    /** The calling thread's id (in the supervisor's pid namespace); for a single-threaded process, its pid. */
    long pid();

    /** The syscall, its number and its ABI. */
    Syscall syscall();

    /** Register argument {@code index} (0..5) as the kernel passed it, unsigned 64-bit. */
    long arg(int index);

    /** The instruction pointer at the syscall. */
    long instructionPointer();

    /** A TOCTOU-checked reader for pointer arguments; see {@link ArgumentReader}. */
    ArgumentReader reader();
}
