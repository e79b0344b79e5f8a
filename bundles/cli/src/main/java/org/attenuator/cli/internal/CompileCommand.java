package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String synopsis() {
        return "PROFILE|builtin:NAME [--arch A[,B..]] [--caps CAP,..] [-o FILE|-] [--format bpf|asm|stats] [--json]";
    }

    @Override
    public String summary() {
        // --json: the statistics as one JSON object (docs/json.md); implies --format stats
        return "compile an OCI/Docker seccomp profile to classic BPF (default: asm listing; bpf needs -o or a pipe;"
                + " --json: statistics for scripts)";
    }

    @Override
    public int run(List<String> raw, Terminal terminal) throws CommandException {
        Set<String> valueOptions = new HashSet<>(ProfileOptions.NAMES);
        valueOptions.addAll(Set.of("-o", "--output", "--format"));
        Arguments args = Arguments.parse(raw, valueOptions, Set.of(JsonOption.NAME)).atMostPositionals(1);
        String profile = args.positional(0, "PROFILE");
        boolean json = args.flag(JsonOption.NAME);
        String format = args.option("--format").orElse(json ? "stats" : "asm");
        if (!FORMATS.contains(format)) {
            throw CommandException.badInput("unknown format '" + format + "' (bpf, asm or stats)");
        }
        if (json && !format.equals("stats")) {
            throw CommandException.badInput(JsonOption.NAME + " prints statistics: not with --format " + format);
        }
        Optional<Path> output = args.option("-o").or(() -> args.option("--output")).filter(o -> !o.equals("-"))
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
