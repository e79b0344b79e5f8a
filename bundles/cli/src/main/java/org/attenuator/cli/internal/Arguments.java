package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subcommand's arguments, parsed against the options it declares: {@code --name VALUE},
 * {@code --name=VALUE}, flags {@code --name}, positionals, and everything after {@code --}
 * kept verbatim (a command to run). An undeclared option is a usage error.
 */
public final class Arguments {

    private final Map<String, List<String>> options;
    private final Set<String> flags;
    private final List<String> positionals;
    private final List<String> afterSeparator;
    private final boolean separatorSeen;

    private Arguments(Map<String, List<String>> options, Set<String> flags, List<String> positionals,
            List<String> afterSeparator, boolean separatorSeen) {
        this.options = options;
        this.flags = flags;
        this.positionals = positionals;
        this.afterSeparator = afterSeparator;
        this.separatorSeen = separatorSeen;
    }

    /**
     * Parses {@code raw}.
     *
     * @param valueOptions options that take a value, for example {@code "--arch"} or {@code "-o"}
     * @param flagOptions options that take none
     * @param optionalValueOptions options whose value is optional and given only as {@code --name=VALUE}
     *     or as a next argument that does not start with {@code -}
     */
    public static Arguments parse(List<String> raw, Set<String> valueOptions, Set<String> flagOptions,
            Set<String> optionalValueOptions) throws CommandException {
        Map<String, List<String>> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            if (arg.equals("--")) {
                return new Arguments(options, flags, positionals, List.copyOf(raw.subList(i + 1, raw.size())), true);
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (valueOptions.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < raw.size()) {
                    value = raw.get(++i);
                } else {
                    throw CommandException.badInput(name + " needs a value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (optionalValueOptions.contains(name)) {
                String value = "";
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < raw.size() && !raw.get(i + 1).startsWith("-")) {
                    value = raw.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (flagOptions.contains(name) && eq < 0) {
                flags.add(name);
            } else {
                throw CommandException.badInput("unknown option " + name);
            }
        }
        return new Arguments(options, flags, positionals, List.of(), false);
    }

    /** Parses {@code raw} for a subcommand with value options and flags only. */
    public static Arguments parse(List<String> raw, Set<String> valueOptions, Set<String> flagOptions)
            throws CommandException {
        return parse(raw, valueOptions, flagOptions, Set.of());
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

    public List<String> positionals() {
        return positionals;
    }

    /** The positional at {@code index}, or a usage error naming {@code what}. */
    public String positional(int index, String what) throws CommandException {
        if (index >= positionals.size()) {
            throw CommandException.badInput("missing " + what);
        }
        return positionals.get(index);
    }

    /** Fails unless there are at most {@code max} positionals. */
    public Arguments atMostPositionals(int max) throws CommandException {
        if (positionals.size() > max) {
            throw CommandException.badInput("unexpected argument " + positionals.get(max));
        }
        return this;
    }

    /** The arguments after {@code --}, verbatim. */
    public List<String> command() {
        return afterSeparator;
    }

    public boolean hasCommand() {
        return separatorSeen;
    }
}
