package org.attenuator.profile;

import java.nio.file.Path;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileOptions;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Explanation;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.profile.internal.FileProfileCompiler;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Profile in (a file or a built-in one, see {@link ProfileSource}), filter out: read, resolve, compile, with every error located in the file
 * (its message is the one line a command prints). Registered as an OSGi service; the
 * {@code compile} and {@code explain} commands are faces over it.
 */
@ProviderType
public interface ProfileCompiler {

    /** @since 0.3.0 */
    CompiledFilter compile(ProfileSource profile, ResolveOptions options) throws CompileException;

    /** The action and path of one call, see {@link FilterCompiler#explain}. */
    Explanation explain(ProfileSource profile, ResolveOptions options, Arch abi, String syscall, long... args)
            throws CompileException;

    /** The profile in a file. */
    default CompiledFilter compile(Path profile, ResolveOptions options) throws CompileException {
        return compile(ProfileSource.file(profile), options);
    }

    /** {@link #explain(ProfileSource, ResolveOptions, Arch, String, long...)} of the profile in a file. */
    default Explanation explain(Path profile, ResolveOptions options, Arch abi, String syscall, long... args)
            throws CompileException {
        return explain(ProfileSource.file(profile), options, abi, syscall, args);
    }

    /** For use without OSGi. */
    static ProfileCompiler create() {
        return new FileProfileCompiler(FilterCompiler.create(), CompileOptions.DEFAULT);
    }
}
