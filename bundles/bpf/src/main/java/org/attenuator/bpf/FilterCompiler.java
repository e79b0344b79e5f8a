package org.attenuator.bpf;

import org.attenuator.bpf.internal.ClassicBpfCompiler;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Compiles a {@link Policy} to one classic BPF program: the architecture check first, then per
 * architecture a binary search over system call numbers, argument checks only where a rule
 * needs them. Also registered as an OSGi service.
 */
@ProviderType
public interface FilterCompiler {

    /** Compiles, or throws with reason UNKNOWN_SYSCALL or PROGRAM_TOO_LARGE; nothing is returned on failure. */
    CompiledFilter compile(Policy policy, CompileOptions options) throws CompileException;

    default CompiledFilter compile(Policy policy) throws CompileException {
        return compile(policy, CompileOptions.DEFAULT);
    }

    /**
     * The action a call gets under the compiled policy and the path it takes.
     *
     * @param abi the calling ABI
     * @param syscall a name from {@code abi}'s table, or a number as seccomp_data holds it
     */
    Explanation explain(CompiledFilter filter, Arch abi, String syscall, long... args) throws CompileException;

    /** A compiler for use without OSGi. */
    static FilterCompiler create() {
        return new ClassicBpfCompiler();
    }
}
