package org.attenuator.cli.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.ProfileStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code attenuator profile list | show KEY | export KEY [--format oci|spo] | diff A B | merge A B [-o FILE]}:
 * the learned profiles, compared and combined ({@link ProfileComparison}).
 */
@Component(service = Subcommand.class)
public final class ProfileCommand implements Subcommand {

    private final ProfileStore store;

    @Activate
    public ProfileCommand(@Reference ProfileStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public String synopsis() {
        return "list | show KEY [--json] | export KEY [--format oci|spo] | diff A B | merge A B [-o FILE]"
                + "    (A, B: a learned KEY, learned:KEY or a profile FILE)";
    }

    @Override
    public String summary() {
        return "list, show and export learned profiles (spo: a security-profiles-operator SeccompProfile); "
                + "diff two (exit 0 same, 1 different, 2 error) or merge them (union; conflicting actions: the stricter)";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        Arguments a = Arguments.parse(args, Set.of("--format", "-o"), Set.of("--json"));
        String action = a.positional(0, "list, show, export, diff or merge");
        if (a.option("-o").isPresent() && !action.equals("merge")) {
            throw CommandException.badInput("-o goes with merge");
        }
        try {
            switch (action) {
                case "list" -> list(a.atMostPositionals(1), terminal);
                case "show" -> show(a.atMostPositionals(2), terminal);
                case "export" -> export(a.atMostPositionals(2), terminal);
                case "diff" -> {
                    return new ProfileComparison(store).diff(a.atMostPositionals(3), terminal);
                }
                case "merge" -> {
                    return new ProfileComparison(store).merge(a.atMostPositionals(3), terminal);
                }
                default -> throw CommandException.badInput("unknown action " + action
                        + ": list, show, export, diff or merge");
            }
        } catch (IOException e) {
            throw CommandException.io("learned profiles in " + store.directory(), e);
        }
        return 0;
    }

    private void list(Arguments a, Terminal terminal) throws IOException {
        List<LearnedProfile> profiles = store.list();
        if (profiles.isEmpty()) {
            terminal.out().println("no learned profiles in " + store.directory());
            return;
        }
        Table table = new Table("KEY", "SYSCALLS", "RUNS", "UNCHANGED", "UPDATED", "FILE");
        for (LearnedProfile p : profiles) {
            table.row(p.key(), p.syscalls().size(), p.runs(), p.runsWithoutChange(), p.updated(),
                    p.file().getFileName());
        }
        table.print(terminal.out());
    }

    private LearnedProfile load(String key) throws IOException, CommandException {
        return store.load(key).orElseThrow(
                () -> CommandException.badInput("no learned profile " + key + " in " + store.directory()));
    }

    private void show(Arguments a, Terminal terminal) throws IOException, CommandException {
        String key = a.positional(1, "KEY");
        if (a.flag("--json")) {
            load(key);
            terminal.out().print(store.export(key, ExportFormat.OCI).orElseThrow());
            return;
        }
        LearnedProfile p = load(key);
        terminal.out().println("key:                 " + p.key());
        terminal.out().println("file:                " + p.file());
        terminal.out().println("runs:                " + p.runs());
        terminal.out().println("runs without change: " + p.runsWithoutChange());
        terminal.out().println("updated:             " + p.updated());
        terminal.out().println();
        Table table = new Table("SYSCALL", "ARCH", "ARGUMENTS", "SEEN");
        for (Map.Entry<LearnedSyscall, Set<Phase>> e : p.syscalls().entrySet()) {
            LearnedSyscall s = e.getKey();
            String args = s.args().stream().map(Object::toString).collect(Collectors.joining(", "));
            String seen = e.getValue().contains(Phase.RUN) ? "" : "init only";
            table.row(s.name(), s.arch(), args, seen);
        }
        table.print(terminal.out());
    }

    private void export(Arguments a, Terminal terminal) throws IOException, CommandException {
        String key = a.positional(1, "KEY");
        String formatName = a.option("--format").orElse("oci");
        ExportFormat format = ExportFormat.parse(formatName)
                .orElseThrow(() -> CommandException.badInput("--format must be oci or spo, not " + formatName));
        load(key);
        terminal.out().print(store.export(key, format).orElseThrow());
    }
}
