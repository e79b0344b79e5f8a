package org.attenuator.cli.internal;

import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.Explanation;
import org.attenuator.core.Json;
import org.attenuator.profile.ProfileCompiler;
import org.attenuator.profile.ResolveOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code attenuator explain PROFILE SYSCALL}: the action one call gets, and the path the program takes. */
@Component(service = Subcommand.class)
public final class ExplainCommand implements Subcommand {

    private final ProfileCompiler compiler;

    @Activate
    public ExplainCommand(@Reference ProfileCompiler compiler) {
        this.compiler = compiler;
    }

    static final CommandSpec SPEC = CommandSpec.of("explain", "show the action a syscall gets under a profile, and why")
            .describe("Prints the action (allow, errno, notify, kill...) the profile's program gives one call, and the "
                    + "path the program takes to it: the architecture check, the syscall number, the argument "
                    + "comparisons. The profile is evaluated with the capabilities run would keep.")
            .option(Option.value("--arch", "A", "The ABI of the call (default: this machine's): x86_64, x86, x32, "
                    + "aarch64.").choices("x86_64", "x86", "x32", "aarch64"))
            .option(Option.value("--args", "A0,A1,..", "Up to six argument values, decimal or 0x-hex (default: all 0)."))
            .options(CapabilityOptions.OPTIONS)
            .option(ProfileOptions.CAPS)
            .option(JsonOption.of("the explanation"))
            .positional("PROFILE", "The profile: an OCI/Docker seccomp JSON file, or builtin:NAME.", Values.PROFILE_SOURCE)
            .positional("SYSCALL", "A syscall name, for example openat.", Values.SYSCALL)
            .example("attenuator explain docker.json mount", "Why mount fails in a Docker container.")
            .example("attenuator explain --cap-add SYS_ADMIN docker.json mount",
                    "The same with CAP_SYS_ADMIN kept.")
            .example("attenuator explain --json builtin:docker-default mount", "The same question, for a script.")
            .build();

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws CommandException {
        String profile = args.positionals().get(0);
        String syscall = args.positionals().get(1);
        Arch abi = args.option("--arch").isPresent() ? ProfileOptions.arch(args.option("--arch").get())
                : Arch.host().orElseThrow(() -> CommandException.badInput("unknown host architecture: give --arch"));
        long[] values = parseArgs(args.option("--args").orElse(""));
        if (args.option("--caps").isPresent() && CapabilityOptions.given(args)) {
            throw CommandException.badInput("--caps names the whole set: not with " + CapabilityOptions.CAP_ADD + ", "
                    + CapabilityOptions.CAP_DROP + " or " + CapabilityOptions.PRIVILEGED);
        }
        // as run evaluates it, unless --caps asks for another set
        ResolveOptions resolve = ProfileOptions.withCapabilities(args,
                ResolveOptions.defaults().withCapabilities(CapabilityOptions.evaluated(CapabilityOptions.kept(args))));
        try {
            // --arch names the ABI of the call; the program is the profile's, for all its architectures.
            Explanation explanation = compiler.explain(ProfileOptions.source(profile), resolve, abi, syscall, values);
            terminal.out().print(args.flag(JsonOption.NAME)
                    ? Json.write(ExplanationJson.of(profile, syscall, abi, explanation)) : explanation.render());
        } catch (CompileException e) {
            throw CommandException.badInput(e.getMessage());
        }
        return 0;
    }

    /** Up to six values, decimal or 0x-hex, unsigned 64-bit. */
    static long[] parseArgs(String list) throws CommandException {
        if (list.isBlank()) {
            return new long[0];
        }
        String[] parts = list.split(",");
        if (parts.length > 6) {
            throw CommandException.badInput("--args takes at most 6 values, got " + parts.length);
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String v = parts[i].trim();
            try {
                values[i] = v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16)
                        : v.startsWith("-") ? Long.parseLong(v) : Long.parseUnsignedLong(v);
            } catch (NumberFormatException e) {
                throw CommandException.badInput("--args: '" + v + "' is not a number");
            }
        }
        return values;
    }
}
