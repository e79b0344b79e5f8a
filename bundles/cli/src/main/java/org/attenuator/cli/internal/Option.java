package org.attenuator.cli.internal;

import java.util.List;

/**
 * One option of a subcommand, declared once: the parser, {@code --help}, the man page and the
 * shell completion are all generated from it.
 *
 * @param name the long name, for example {@code --arch}
 * @param alias a short name such as {@code -o}, or null
 * @param arity whether it takes a value
 * @param label the value's name in the usage, for example {@code A[,B..]}; empty for a flag
 * @param description one or more sentences for the help and the man page
 * @param values what the shell completes for the value
 * @param choices the words {@link Values#CHOICES} completes
 */
public record Option(String name, String alias, Arity arity, String label, String description, Values values,
        List<String> choices) {

    /** Whether an option takes a value. */
    public enum Arity {
        /** {@code --name}; {@code --name=X} is an error. */
        FLAG,
        /** {@code --name VALUE} or {@code --name=VALUE}. */
        VALUE,
        /** {@code --name} alone, or {@code --name=VALUE}: the next word is never taken as its value. */
        OPTIONAL_VALUE
    }

    public Option {
        choices = List.copyOf(choices);
    }

    /** {@code --name}, no value. */
    public static Option flag(String name, String description) {
        return new Option(name, null, Arity.FLAG, "", description, Values.NONE, List.of());
    }

    /** {@code --name LABEL} (or {@code --name=LABEL}). */
    public static Option value(String name, String label, String description) {
        return new Option(name, null, Arity.VALUE, label, description, Values.NONE, List.of());
    }

    /** {@code --name} or {@code --name=LABEL}. */
    public static Option optionalValue(String name, String label, String description) {
        return new Option(name, null, Arity.OPTIONAL_VALUE, label, description, Values.NONE, List.of());
    }

    /** This option with a short name too. */
    public Option alias(String shortName) {
        return new Option(name, shortName, arity, label, description, values, choices);
    }

    /** This option, its value completed as {@code kind}. */
    public Option completing(Values kind) {
        return new Option(name, alias, arity, label, description, kind, choices);
    }

    /** This option, its value completed from {@code words}. */
    public Option choices(String... words) {
        return new Option(name, alias, arity, label, description, Values.CHOICES, List.of(words));
    }

    /** Whether {@code word} (without any {@code =VALUE}) names this option. */
    public boolean named(String word) {
        return name.equals(word) || word.equals(alias);
    }

    /** How the option is written in a usage line: {@code --arch A[,B..]}, {@code --deny-log[=FILE]}. */
    public String usage() {
        return switch (arity) {
            case FLAG -> name;
            case VALUE -> name + " " + label;
            case OPTIONAL_VALUE -> name + "[=" + label + "]";
        };
    }

    /** The names as the help lists them: {@code -o, --output FILE}. */
    public String heading() {
        return (alias != null ? alias + ", " : "") + usage();
    }
}
