package org.attenuator.shell.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Disassembler;
import org.attenuator.profile.ProfileCompiler;
import org.attenuator.profile.ResolveOptions;

/** {@code seccomp:compile}: the console face of {@link ProfileCompiler#compile}, as {@code attenuator compile}. */
@Service
@Command(scope = "seccomp", name = "compile",
        description = "Compiles an OCI / Docker seccomp profile to classic BPF and prints the program (or writes it with -o).")
public class CompileCommand implements Action {

    @Reference(optional = true)
    private ProfileCompiler compiler;

    @Reference
    private Session session;

    @Argument(index = 0, name = "profile", required = true, description = Descriptions.PROFILE_FILE)
    @Completion(FileCompleter.class)
    private String profile;

    @Option(name = "--arch", description = "Architectures to cover, comma separated (x86_64,x86,x32,aarch64); default: the profile's.")
    @Completion(ArchCompleter.class)
    private String arches;

    @Option(name = "--format", description = "asm: disassembly (default); stats: build statistics; bpf: the raw program (needs -o).")
    @Completion(value = StringsCompleter.class, values = {"asm", "stats", "bpf"})
    private String format = "asm";

    @Option(name = "-o", aliases = "--output", description = "Writes to this file instead of the console.")
    @Completion(FileCompleter.class)
    private String output;

    @Override
    public Object execute() throws Exception {
        ResolveOptions options = arches == null ? ResolveOptions.defaults()
                : ResolveOptions.defaults().withArches(Arches.parseList(arches));
        CompiledFilter filter = Available.service(compiler, ProfileCompiler.class).compile(Paths.profile(profile), options);
        byte[] bytes = render(filter);
        if (output != null) {
            Files.write(Paths.of(output), bytes);
        } else {
            session.getConsole().print(new String(bytes, StandardCharsets.UTF_8));
        }
        return null;
    }

    private byte[] render(CompiledFilter filter) {
        switch (format) {
            case "asm":
                return Disassembler.listing(filter.program()).getBytes(StandardCharsets.UTF_8);
            case "stats":
                return Disassembler.statistics(filter).getBytes(StandardCharsets.UTF_8);
            case "bpf":
                if (output == null) {
                    throw new IllegalArgumentException("--format bpf writes binary: give a file with -o");
                }
                return filter.program().toBytes();
            default:
                throw new IllegalArgumentException("--format must be one of " + List.of("asm", "stats", "bpf") + ", not " + format);
        }
    }
}
