package org.attenuator.profile.internal;

import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileOptions;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Explanation;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.profile.PolicyResolver;
import org.attenuator.profile.ProfileCompiler;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ProfileSource;
import org.attenuator.profile.ResolveOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link ProfileCompiler} service: reads the profile once and locates resolve and compile errors in it. */
@Component(service = ProfileCompiler.class)
public final class FileProfileCompiler implements ProfileCompiler {

    private final FilterCompiler compiler;
    private final CompileOptions compileOptions;

    @Activate
    public FileProfileCompiler(@Reference FilterCompiler compiler) {
        this(compiler, CompileOptions.DEFAULT);
    }

    public FileProfileCompiler(FilterCompiler compiler, CompileOptions compileOptions) {
        this.compiler = compiler;
        this.compileOptions = compileOptions;
    }

    @Override
    public CompiledFilter compile(ProfileSource profile, ResolveOptions options) throws CompileException {
        String text = profile.text();
        try {
            return compiler.compile(PolicyResolver.resolve(ProfileReader.parse(text, profile.name()), options,
                    profile.name()), compileOptions);
        } catch (CompileException e) {
            throw e.location().file().isEmpty() ? ProfileReader.locate(e, text, profile.name()) : e;
        }
    }

    @Override
    public Explanation explain(ProfileSource profile, ResolveOptions options, Arch abi, String syscall, long... args)
            throws CompileException {
        return compiler.explain(compile(profile, options), abi, syscall, args);
    }
}
