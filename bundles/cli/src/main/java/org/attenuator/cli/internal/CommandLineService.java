package org.attenuator.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Comparator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches {@code attenuator SUBCOMMAND ARGS} to the registered {@link Subcommand}s. */
@Component(service = CommandLine.class)
public final class CommandLineService implements CommandLine {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLineService.class);

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
    public int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Terminal terminal = new Terminal(in, out, err);
        if (args.length == 0) {
            printUsage(err);
            return CommandException.BAD_INPUT;
        }
        String first = args[0];
        if (first.equals("--version") || first.equals("version")) {
            out.println("attenuator " + version + " (Java " + Runtime.version() + ", " + System.getProperty("os.arch") + ")");
            return 0;
        }
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            printUsage(out);
            return 0;
        }
        Optional<Subcommand> subcommand = find(first);
        if (subcommand.isEmpty()) {
            err.println("attenuator: unknown command '" + first + "' (see attenuator --help)");
            return CommandException.BAD_INPUT;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (asksForHelp(rest)) {
            out.println("usage: attenuator " + subcommand.get().name() + " " + subcommand.get().synopsis());
            out.println(subcommand.get().summary());
            return 0;
        }
        try {
            return subcommand.get().run(rest, terminal);
        } catch (CommandException e) {
            err.println("attenuator " + first + ": " + e.getMessage());
            return e.status();
        } catch (RuntimeException e) {
            LOG.error("attenuator {} failed", first, e);
            err.println("attenuator " + first + ": internal error: " + e);
            return 1;
        }
    }

    /** {@code --help} before any {@code --}: after it, the words belong to the command to run. */
    private static boolean asksForHelp(List<String> args) {
        int separator = args.indexOf("--");
        return (separator < 0 ? args : args.subList(0, separator)).contains("--help");
    }

    private Optional<Subcommand> find(String name) {
        return subcommands.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private void printUsage(PrintStream stream) {
        stream.println("usage: attenuator COMMAND [ARGS]    (attenuator COMMAND --help for its options)");
        stream.println("       attenuator --version");
        subcommands.stream().sorted(Comparator.comparing(Subcommand::name))
                .forEach(s -> stream.printf("  %-10s %s%n", s.name(), s.summary()));
    }
}
