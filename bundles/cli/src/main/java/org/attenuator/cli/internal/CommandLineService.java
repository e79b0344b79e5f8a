package org.attenuator.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.attenuator.launcher.CommandLine;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Dispatches {@code attenuator SUBCOMMAND ARGS} to the registered {@link Subcommand}s: parses the
 * arguments against the subcommand's {@link CommandSpec}, answers {@code --help}, {@code help
 * SUBCOMMAND}, {@code completion} and {@code --version} itself, and prints every failure as one
 * line ({@link FailureLine}), on a stderr that escapes control characters ({@link EscapingPrintStream}).
 */
@Component(service = CommandLine.class)
public final class CommandLineService implements CommandLine {

    private final List<Subcommand> subcommands = new CopyOnWriteArrayList<>();
    private final String version;

    @Activate
    public CommandLineService(BundleContext context) {
        String fromLauncher = context.getProperty("attenuator.version");
        this.version = fromLauncher != null ? fromLauncher : context.getBundle().getVersion().toString();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSubcommand(Subcommand subcommand) {
        subcommands.add(subcommand);
    }

    void removeSubcommand(Subcommand subcommand) {
        subcommands.remove(subcommand);
    }

    @Override
    public int execute(String[] args, InputStream in, PrintStream out, PrintStream stderr) {
        PrintStream err = new EscapingPrintStream(stderr);
        Terminal terminal = new Terminal(in, out, err);
        if (args.length == 0) {
            HelpText.usage(specs(), err);
            return CommandException.BAD_INPUT;
        }
        String first = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return dispatch(first, rest, terminal);
        } catch (CommandException e) {
            err.println("attenuator " + first + ": " + e.getMessage());
            return e.status();
        } catch (IllegalArgumentException e) {
            // a service refusing what it was given (an empty learning key): bad input, in its own words
            err.println("attenuator " + first + ": " + FailureLine.invalid(first, e));
            return CommandException.BAD_INPUT;
        } catch (RuntimeException e) {
            err.println("attenuator " + first + ": " + FailureLine.unexpected(first, e));
            return 1;
        }
    }

    private int dispatch(String first, List<String> rest, Terminal terminal) throws CommandException {
        switch (first) {
            case "--version", "version" -> {
                Arguments.parse(rest, CommandSpec.of(first, "").build());
                terminal.out().println("attenuator " + version + " (Java " + Runtime.version() + ", "
                        + System.getProperty("os.arch") + ")");
                return 0;
            }
            case "--help", "-h" -> {
                HelpText.usage(specs(), terminal.out());
                return 0;
            }
            case "help" -> {
                return help(rest, terminal.out());
            }
            default -> {
                // the subcommands below
            }
        }
        if (first.equals(CompletionCommand.SPEC.name())) {
            Arguments parsed = Arguments.parse(rest, CompletionCommand.SPEC);
            return parsed.help() ? help(List.of(first), terminal.out())
                    : CompletionCommand.run(parsed, specs(), terminal.out());
        }
        Subcommand subcommand = find(first).orElseThrow(() -> CommandException.badInput(
                "unknown command (see attenuator --help)"));
        Arguments parsed = Arguments.parse(rest, subcommand.spec());
        if (parsed.help()) {
            printHelp(subcommand.spec(), parsed.action(), terminal.out());
            return 0;
        }
        return subcommand.run(parsed, terminal);
    }

    /** {@code help}, {@code help COMMAND} and {@code help COMMAND ACTION}. */
    private int help(List<String> words, PrintStream out) throws CommandException {
        if (words.isEmpty()) {
            HelpText.usage(specs(), out);
            return 0;
        }
        if (words.size() > 2) {
            throw CommandException.badInput("unexpected argument '" + words.get(2) + "' (attenuator help COMMAND [ACTION])");
        }
        CommandSpec spec = specs().stream().filter(s -> s.name().equals(words.get(0))).findFirst()
                .orElseThrow(() -> CommandException.badInput("no command '" + words.get(0) + "' (see attenuator --help)"));
        String action = words.size() == 2 ? words.get(1) : null;
        if (action != null && spec.action(action).isEmpty()) {
            throw CommandException.badInput("no action '" + action + "' of " + spec.name() + ": " + spec.synopsis());
        }
        printHelp(spec, action, out);
        return 0;
    }

    private static void printHelp(CommandSpec spec, String action, PrintStream out) {
        if (action == null) {
            HelpText.command("", spec, out);
        } else {
            HelpText.command(spec.name(), spec.action(action).orElseThrow(), out);
        }
    }

    /** The registered subcommands' specs and the command line's own ({@code completion}). */
    private List<CommandSpec> specs() {
        List<CommandSpec> all = new ArrayList<>();
        subcommands.forEach(s -> all.add(s.spec()));
        all.add(CompletionCommand.SPEC);
        return all;
    }

    private Optional<Subcommand> find(String name) {
        return subcommands.stream().filter(s -> s.spec().name().equals(name)).findFirst();
    }
}
