package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.List;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.profile.Capabilities;
import org.attenuator.profile.ProfileSource;
import org.attenuator.profile.ResolveOptions;

/** The profile a command reads, and the options that choose how it is resolved: {@code --arch A[,B..]} and {@code --caps CAP,..}. */
final class ProfileOptions {

    static final Option ARCH = Option.value("--arch", "A[,B..]", "The architectures the program is compiled for "
            + "(default: the profile's, else this machine's): x86_64, x86 (i386), x32, aarch64.")
            .choices("x86_64", "x86", "x32", "aarch64");
    static final Option CAPS = Option.value("--caps", "CAP,..", "Evaluate the profile's capability rules with exactly "
            + "these capabilities (default: Docker's default set).");

    private ProfileOptions() {
    }

    /** The profile a PROFILE argument names: a file or {@code builtin:NAME}; bad input if it cannot be read. */
    static ProfileSource source(String reference) throws CommandException {
        try {
            return ProfileSource.of(reference);
        } catch (CompileException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    /** The defaults with the architectures and capabilities given. */
    static ResolveOptions from(Arguments args) throws CommandException {
        ResolveOptions options = withCapabilities(args, ResolveOptions.defaults());
        if (args.option("--arch").isPresent()) {
            options = options.withArches(arches(args.option("--arch").get()));
        }
        return options;
    }

    /** {@code options} with the capabilities given, if any. */
    static ResolveOptions withCapabilities(Arguments args, ResolveOptions options) {
        return args.option("--caps").map(caps -> options.withCapabilities(Capabilities.parse(caps))).orElse(options);
    }

    static List<Arch> arches(String list) throws CommandException {
        List<Arch> arches = new ArrayList<>();
        for (String name : list.split(",")) {
            arches.add(arch(name.trim()));
        }
        return arches;
    }

    static Arch arch(String name) throws CommandException {
        return Arch.parse(name).orElseThrow(() -> CommandException.badInput(
                "unknown architecture '" + name + "' (known: x86_64, x86/i386, x32, aarch64)"));
    }
}
