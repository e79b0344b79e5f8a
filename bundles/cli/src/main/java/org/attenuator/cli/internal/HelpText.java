package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The {@code --help} text of the command line and of each subcommand, generated from their {@link CommandSpec}s. */
final class HelpText {

    /** The command-line grammar, in the top-level help and the man page. */
    static final String GRAMMAR = "Options come first: they end at the first argument that is not an option, or at "
            + "--. For run, that first argument is the program, and it and every word after it are the program's "
            + "(attenuator run ls -l). The Karaf console reads the options of its seccomp: commands in the same "
            + "order. An option's value is the next word or follows '=' (--arch x86_64, --arch=x86_64); an optional "
            + "value follows '=' only (--deny-log alone uses the default file, --deny-log=FILE names one). An "
            + "unknown option, or one that does not apply, is an error (exit status 2).";

    private static final int WIDTH = 80;
    private static final int INDENT = 24;

    private HelpText() {
    }

    static void usage(List<CommandSpec> commands, PrintStream out) {
        out.println("usage: attenuator COMMAND [OPTIONS] [ARGUMENTS]");
        out.println("       attenuator help COMMAND    (or attenuator COMMAND --help)");
        out.println("       attenuator --version");
        out.println();
        out.println("Commands:");
        commands.stream().sorted(Comparator.comparing(CommandSpec::name))
                .forEach(c -> out.println(item(c.name(), c.summary(), 2, 14)));
        out.println();
        wrap(GRAMMAR, 0).forEach(out::println);
        out.println();
        out.println("The man page attenuator(1) has all commands and options; shell completion: attenuator completion bash|zsh.");
    }

    /** The help of {@code spec}, whose usage starts with {@code prefix} ({@code attenuator profile}). */
    static void command(String prefix, CommandSpec spec, PrintStream out) {
        String usage = "attenuator " + (prefix.isEmpty() ? "" : prefix + " ") + spec.name();
        if (spec.actions().isEmpty()) {
            out.println("usage: " + usage + " " + spec.synopsis());
        } else {
            String lead = "usage: ";
            for (CommandSpec action : spec.actions()) {
                out.println(lead + usage + " " + action.name() + " " + action.synopsis());
                lead = "       ";
            }
        }
        out.println();
        wrap(sentence(spec.summary()), 0).forEach(out::println);
        for (String paragraph : spec.description()) {
            out.println();
            wrap(paragraph, 0).forEach(out::println);
        }
        if (!spec.actions().isEmpty()) {
            out.println();
            out.println("Actions (attenuator " + spec.name() + " ACTION --help for each):");
            spec.actions().forEach(a -> out.println(item(a.name(), sentence(a.summary()), 2, INDENT)));
        }
        if (!spec.positionals().isEmpty()) {
            out.println();
            out.println("Arguments:");
            spec.positionals().forEach(p -> out.println(item(p.label(), p.description(), 2, INDENT)));
        }
        out.println();
        out.println("Options:");
        for (Option o : options(spec)) {
            out.println(item(o.heading(), o.description(), 2, INDENT));
        }
        if (!spec.examples().isEmpty()) {
            out.println();
            out.println(spec.examples().size() == 1 ? "Example:" : "Examples:");
            for (Example e : spec.examples()) {
                out.println("  " + e.command());
                wrap(e.what(), 6).forEach(out::println);
            }
        }
    }

    /** The spec's options and {@code --help}, in the order of the help. */
    static List<Option> options(CommandSpec spec) {
        List<Option> all = new ArrayList<>(spec.options());
        all.add(CommandSpec.HELP);
        return all;
    }

    static String sentence(String summary) {
        String s = summary.isEmpty() ? summary : Character.toUpperCase(summary.charAt(0)) + summary.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    /** {@code  name    text}, the text wrapped at column {@code indent} (on the next line if the name is long). */
    private static String item(String name, String text, int margin, int indent) {
        List<String> lines = wrap(text, indent);
        String head = " ".repeat(margin) + name;
        if (head.length() + 2 > indent) {
            return head + System.lineSeparator() + String.join(System.lineSeparator(), lines);
        }
        lines.set(0, head + lines.get(0).substring(head.length()));
        return String.join(System.lineSeparator(), lines);
    }

    static List<String> wrap(String text, int indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(" ".repeat(indent));
        for (String word : text.split(" ")) {
            if (line.length() > indent && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(" ".repeat(indent));
            }
            if (line.length() > indent) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
