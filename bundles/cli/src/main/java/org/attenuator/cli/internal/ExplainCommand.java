package org.attenuator.cli.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String synopsis() {
        return "PROFILE|builtin:NAME SYSCALL [--json] [--arch A] [--cap-add CAP,..] [--cap-drop CAP,..] [--privileged] [--caps CAP,..] "
                + "[--args A0,A1,..]";
    }

    @Override
    public String summary() {
        // --json: the explanation as one JSON object (docs/json.md)
        return "show the action a syscall gets under a profile, and why (--json: for scripts)";
    }

    @Override
    public int run(List<String> raw, Terminal terminal) throws CommandException {
        Set<String> valueOptions = new HashSet<>(ProfileOptions.NAMES);
        valueOptions.add("--args");
        valueOptions.addAll(CapabilityOptions.VALUE_OPTIONS);
        Set<String> flags = new HashSet<>(CapabilityOptions.FLAGS);
        flags.add(JsonOption.NAME);
        Arguments args = Arguments.parse(raw, valueOptions, flags).atMostPositionals(2);
        String profile = args.positional(0, "PROFILE");
        String syscall = args.positional(1, "SYSCALL");
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
