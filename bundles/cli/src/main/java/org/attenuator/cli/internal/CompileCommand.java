package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Disassembler;
import org.attenuator.core.Json;
import org.attenuator.profile.ProfileCompiler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code attenuator compile PROFILE}: the profile's classic BPF program as raw {@code struct
 * sock_filter} bytes (what the kernel and libseccomp's seccomp_export_bpf use), as a listing, or
 * as statistics (as text, or with {@code --json} as one JSON object). PROFILE is a file or
 * {@code builtin:NAME}. Nothing is written unless the whole profile compiles.
 */
@Component(service = Subcommand.class)
public final class CompileCommand implements Subcommand {

    private static final Set<String> FORMATS = Set.of("bpf", "asm", "stats");

    private final ProfileCompiler compiler;

    @Activate
    public CompileCommand(@Reference ProfileCompiler compiler) {
        this.compiler = compiler;
    }

    static final CommandSpec SPEC = CommandSpec.of("compile",
                    "compile an OCI/Docker seccomp profile to classic BPF")
            .describe("Writes the profile's classic BPF program: as an annotated listing (asm, the default), as the raw "
                    + "struct sock_filter bytes the kernel and libseccomp's seccomp_export_bpf use (bpf: needs -o or a "
                    + "pipe), or as statistics (as text, or with --json as one JSON object). Nothing is written unless the whole profile compiles.")
            .option(ProfileOptions.ARCH)
            .option(ProfileOptions.CAPS)
            .option(Option.value("--output", "FILE", "Write to FILE (replaced atomically; - is stdout, the default).")
                    .alias("-o").completing(Values.FILE))
            .option(Option.value("--format", "FORMAT", "asm (a listing, the default), bpf (raw sock_filter bytes) or "
                    + "stats (instruction counts).").choices("asm", "bpf", "stats"))
            .option(JsonOption.of("the statistics (alone it means --format stats; another --format is an error)"))
            .positional("PROFILE", "The profile: an OCI/Docker seccomp JSON file, or builtin:NAME.", Values.PROFILE_SOURCE)
            .example("attenuator compile --format stats docker.json",
                    "How big a profile is as a BPF program.")
            .example("attenuator compile --format bpf -o web.bpf web.json", "The raw program, for another loader.")
            .example("attenuator compile --json builtin:docker-default", "The statistics of a built-in profile, for a script.")
            .build();

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws CommandException {
        String profile = args.positionals().get(0);
        boolean json = args.flag(JsonOption.NAME);
        String format = args.option("--format").orElse(json ? "stats" : "asm");
        if (!FORMATS.contains(format)) {
            throw CommandException.badInput("unknown format '" + format + "' (bpf, asm or stats)");
        }
        if (json && !format.equals("stats")) {
            throw CommandException.badInput(JsonOption.NAME + " prints statistics: not with --format " + format);
        }
        Optional<Path> output = args.option("--output").filter(o -> !o.equals("-"))
                .map(Path::of);
        if (format.equals("bpf") && output.isEmpty() && System.console() != null) {
            throw CommandException.badInput("--format bpf writes binary: give -o FILE or pipe the output");
        }
        CompiledFilter filter;
        try {
            filter = compiler.compile(ProfileOptions.source(profile), ProfileOptions.from(args));
        } catch (CompileException e) {
            throw CommandException.badInput(e.getMessage());
        }
        byte[] bytes = switch (format) {
            case "bpf" -> filter.program().toBytes();
            case "asm" -> Disassembler.listing(filter.program()).getBytes(StandardCharsets.UTF_8);
            default -> json ? Json.write(CompileStatisticsJson.of(profile, filter)).getBytes(StandardCharsets.UTF_8)
                    : Disassembler.statistics(filter).getBytes(StandardCharsets.UTF_8);
        };
        if (output.isPresent()) {
            OutputFile.write(output.get(), bytes);
        } else {
            PrintStream out = terminal.out();
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
        return 0;
    }
}
