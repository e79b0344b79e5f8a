package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything the command line knows of one subcommand (or of one action of it, such as {@code
 * profile export}): its options, positional arguments, help text and examples. Parsing, {@code
 * --help}, the man page and the shell completion are generated from it, so an option is declared in
 * exactly one place.
 *
 * @param name the word after {@code attenuator} (or after the subcommand, for an action)
 * @param summary one line for the command list
 * @param description paragraphs for the help and the man page; may be empty
 * @param options the options, in the order the help lists them
 * @param positionals the positional arguments; a last one completed as {@link Values#COMMAND}
 *     takes every word from there on verbatim (a program and its arguments)
 * @param actions the actions of a subcommand that has some ({@code profile list|show|export}),
 *     each with its own options; then the subcommand itself has none
 * @param examples at least one for the help and the man page
 */
public record CommandSpec(String name, String summary, List<String> description, List<Option> options,
        List<Positional> positionals, List<CommandSpec> actions, List<Example> examples) {

    /** {@code --help} and {@code -h}: every subcommand and action takes them. */
    public static final Option HELP = Option.flag("--help", "Print this help and exit.").alias("-h");

    public CommandSpec {
        description = List.copyOf(description);
        options = List.copyOf(options);
        positionals = List.copyOf(positionals);
        actions = List.copyOf(actions);
        examples = List.copyOf(examples);
    }

    /** A new subcommand named {@code name}. */
    public static Builder of(String name, String summary) {
        return new Builder(name, summary);
    }

    /** The option {@code word} names ({@code --name} or its alias), {@link #HELP} included. */
    public Optional<Option> option(String word) {
        if (HELP.named(word)) {
            return Optional.of(HELP);
        }
        return options.stream().filter(o -> o.named(word)).findFirst();
    }

    public Optional<CommandSpec> action(String word) {
        return actions.stream().filter(a -> a.name().equals(word)).findFirst();
    }

    /** Whether the last positional is a program to run: the first positional word ends the options. */
    public boolean takesCommand() {
        return !positionals.isEmpty() && positionals.get(positionals.size() - 1).values() == Values.COMMAND;
    }

    /** The usage after the subcommand's name: {@code [OPTIONS] PROFILE SYSCALL}, or the actions. */
    public String synopsis() {
        if (!actions.isEmpty()) {
            return actions.stream().map(CommandSpec::name).collect(Collectors.joining("|")) + " ...";
        }
        List<String> words = new ArrayList<>();
        if (!options.isEmpty()) {
            words.add("[OPTIONS]");
        }
        if (takesCommand()) {
            words.add("[--]");
        }
        positionals.forEach(p -> words.add(p.label()));
        return String.join(" ", words);
    }

    /** Builds a {@link CommandSpec}; the order of the calls is the order of the help. */
    public static final class Builder {
        private final String name;
        private final String summary;
        private final List<String> description = new ArrayList<>();
        private final List<Option> options = new ArrayList<>();
        private final List<Positional> positionals = new ArrayList<>();
        private final List<CommandSpec> actions = new ArrayList<>();
        private final List<Example> examples = new ArrayList<>();

        private Builder(String name, String summary) {
            this.name = name;
            this.summary = summary;
        }

        /** A paragraph of the description. */
        public Builder describe(String paragraph) {
            description.add(paragraph);
            return this;
        }

        public Builder option(Option option) {
            options.add(option);
            return this;
        }

        public Builder options(List<Option> some) {
            options.addAll(some);
            return this;
        }

        public Builder positional(String label, String what, Values values) {
            positionals.add(new Positional(label, what, values, List.of()));
            return this;
        }

        /** A positional that is one of {@code words}. */
        public Builder positional(String label, String what, String... words) {
            positionals.add(new Positional(label, what, Values.CHOICES, List.of(words)));
            return this;
        }

        public Builder action(CommandSpec action) {
            actions.add(action);
            return this;
        }

        public Builder example(String command, String what) {
            examples.add(new Example(command, what));
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(name, summary, description, options, positionals, actions, examples);
        }
    }
}
