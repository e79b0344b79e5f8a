package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subcommand's arguments, parsed against its {@link CommandSpec}. The grammar, the same for every
 * subcommand and the same the Karaf console has: options come first and end at the first
 * positional argument (or at {@code --}), as with env, sudo and {@code runc exec}. For {@code run}
 * the first positional is the program, and it and every word after it are the program's. An
 * option's value is the next word ({@code --arch x86_64}) or follows {@code =}; an optional value
 * ({@code --deny-log[=FILE]}) is given only with {@code =}. Anything else is a usage error (exit 2).
 */
public final class Arguments {

    private final String action;
    private final Map<String, List<String>> options;
    private final Set<String> flags;
    private final List<String> positionals;

    private Arguments(String action, Map<String, List<String>> options, Set<String> flags, List<String> positionals) {
        this.action = action;
        this.options = options;
        this.flags = flags;
        this.positionals = positionals;
    }

    /**
     * Parses {@code raw}, the words after the subcommand's name. For a subcommand with actions, the
     * action's options may also come before the action word ({@code profile --format spo export KEY},
     * the Karaf console's order).
     *
     */
    public static Arguments parse(List<String> raw, CommandSpec spec) throws CommandException {
        if (spec.actions().isEmpty()) {
            return parse(raw, spec, spec.name(), null);
        }
        List<String> leading = new ArrayList<>();
        int i = 0;
        for (; i < raw.size() && isOption(raw.get(i)) && !raw.get(i).equals("--"); i++) {
            String word = raw.get(i);
            Option o = anyAction(spec, nameOf(word)).orElseThrow(() -> unknown(nameOf(word), spec.name()));
            leading.add(word);
            if (o.arity() == Option.Arity.VALUE && word.indexOf('=') < 0 && i + 1 < raw.size()) {
                leading.add(raw.get(++i));
            }
        }
        if (i == raw.size() || raw.get(i).equals("--")) {
            Arguments head = parse(leading, CommandSpec.of(spec.name(), "").build(), spec.name(), null);
            if (head.help()) {
                return head;
            }
            throw CommandException.badInput("missing action: " + spec.synopsis());
        }
        String word = raw.get(i);
        CommandSpec action = spec.action(word).orElseThrow(() -> CommandException.badInput(
                "unknown action '" + word + "': " + spec.synopsis()));
        leading.addAll(raw.subList(i + 1, raw.size()));
        Arguments parsed = parse(leading, action, spec.name() + " " + word, spec);
        return new Arguments(word, parsed.options, parsed.flags, parsed.positionals);
    }

    private static Arguments parse(List<String> raw, CommandSpec spec, String where, CommandSpec parent)
            throws CommandException {
        Map<String, List<String>> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positionals = new ArrayList<>();
        Option bareOptional = null;
        int i = 0;
        for (; i < raw.size() && isOption(raw.get(i)); i++) {
            String arg = raw.get(i);
            bareOptional = null;
            if (arg.equals("--")) {
                i++;
                break;
            }
            int eq = arg.indexOf('=');
            String name = nameOf(arg);
            Option o = spec.option(name).orElseThrow(() -> parent != null && anyAction(parent, name).isPresent()
                    ? CommandException.badInput(name + " does not apply to " + where)
                    : unknown(name, where));
            String value = eq >= 0 ? arg.substring(eq + 1) : null;
            switch (o.arity()) {
                case FLAG -> {
                    if (value != null) {
                        throw CommandException.badInput(o.name() + " takes no value");
                    }
                    flags.add(o.name());
                }
                case VALUE -> {
                    if (value == null && i + 1 < raw.size()) {
                        value = raw.get(++i);
                    }
                    if (value == null || value.isEmpty()) {
                        throw CommandException.badInput(o.name() + " needs a value: " + o.usage());
                    }
                    options.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(value);
                }
                case OPTIONAL_VALUE -> {
                    if (value != null && value.isEmpty()) {
                        throw CommandException.badInput(o.name() + "= needs a value after '=' (" + o.name()
                                + " alone takes the default)");
                    }
                    options.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(value == null ? "" : value);
                    bareOptional = value == null ? o : null;
                }
            }
        }
        List<String> rest = raw.subList(i, raw.size());
        if (flags.contains(CommandSpec.HELP.name())) {
            return new Arguments(null, options, flags, List.copyOf(rest));
        }
        if (spec.takesCommand()) {
            if (bareOptional != null && rest.subList(1, rest.size()).contains("--")) {
                // the old habit "--learn KEY -- PROGRAM" would run KEY
                throw CommandException.badInput(bareOptional.name() + " takes its value only after '=' ("
                        + bareOptional.name() + "=" + rest.get(0) + "); to run " + rest.get(0) + ", put -- before it");
            }
            positionals.addAll(rest);
        } else {
            for (String word : rest) {
                if (isOption(word) && !raw.subList(0, i).contains("--")) {
                    throw CommandException.badInput("option " + nameOf(word) + " after the arguments: options come "
                            + "first " + usage(where, spec));
                }
                positionals.add(word);
            }
            int expected = spec.positionals().size();
            for (int k = 0; k < Math.min(expected, positionals.size()); k++) {
                if (positionals.get(k).isEmpty()) {
                    throw CommandException.badInput(spec.positionals().get(k).label() + " is empty");
                }
            }
            if (positionals.size() < expected) {
                throw CommandException.badInput("missing " + spec.positionals().get(positionals.size()).label()
                        + " " + usage(where, spec));
            }
            if (positionals.size() > expected) {
                throw CommandException.badInput("unexpected argument '" + positionals.get(expected) + "' "
                        + usage(where, spec));
            }
        }
        return new Arguments(null, options, flags, List.copyOf(positionals));
    }

    private static String usage(String where, CommandSpec spec) {
        return "(attenuator " + (where + " " + spec.synopsis()).strip() + ")";
    }

    private static boolean isOption(String word) {
        return word.startsWith("-") && !word.equals("-");
    }

    private static String nameOf(String word) {
        int eq = word.indexOf('=');
        return eq < 0 ? word : word.substring(0, eq);
    }

    private static Optional<Option> anyAction(CommandSpec spec, String name) {
        return spec.actions().stream().map(a -> a.option(name)).flatMap(Optional::stream).findFirst()
                .or(() -> spec.option(name));
    }

    private static CommandException unknown(String name, String where) {
        return CommandException.badInput("unknown option " + name + " (see attenuator " + where + " --help)");
    }

    /** Whether {@code --help} was given: then nothing else was checked. */
    public boolean help() {
        return flags.contains(CommandSpec.HELP.name());
    }

    /** The action word ({@code export} of {@code profile export}), or null for a subcommand without actions. */
    public String action() {
        return action;
    }

    /** The last value given for {@code name}. */
    public Optional<String> option(String name) {
        List<String> values = options.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** Every value given for {@code name}, in order. */
    public List<String> options(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * The positional arguments, as many as the spec declares (checked); for {@code run}, the program
     * and its arguments.
     */
    public List<String> positionals() {
        return positionals;
    }
}
