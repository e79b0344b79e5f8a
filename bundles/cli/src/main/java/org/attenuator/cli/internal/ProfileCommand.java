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

/** {@code attenuator profile list | show KEY | export KEY [--format oci|spo]}: the learned profiles. */
@Component(service = Subcommand.class)
public final class ProfileCommand implements Subcommand {

    private final ProfileStore store;

    @Activate
    public ProfileCommand(@Reference ProfileStore store) {
        this.store = store;
    }

    private static final Positional KEY = new Positional("KEY",
            "The learning key, or the profile's file name as profile list shows it.", Values.LEARNED_KEY, List.of());

    static final CommandSpec SPEC = CommandSpec.of("profile",
                    "list, show and export learned profiles (spo: a security-profiles-operator SeccompProfile)")
            .describe("The profiles run --learn stored (HOME/learned/KEY.json, HOME as in docs/learning.md). Options "
                    + "may also come before the action, the Karaf console's order (seccomp:profile --format spo export KEY).")
            .action(CommandSpec.of("list", "list the learned profiles: key, syscalls, runs, runs without change")
                    .example("attenuator profile list", "What has been learned so far.").build())
            .action(CommandSpec.of("show", "show one learned profile: its runs and its syscalls")
                    .option(Option.flag("--json", "Print the stored OCI profile JSON instead of the summary."))
                    .positional(KEY.label(), KEY.description(), KEY.values())
                    .example("attenuator profile show nginx", "The syscalls nginx made while it was learned.").build())
            .action(CommandSpec.of("export", "print one learned profile as an OCI seccomp profile or a SeccompProfile")
                    .option(Option.value("--format", "FORMAT", "oci (the OCI / Docker seccomp JSON, as stored; the "
                            + "default) or spo (a security-profiles-operator SeccompProfile resource).")
                            .choices("oci", "spo"))
                    .positional(KEY.label(), KEY.description(), KEY.values())
                    .example("attenuator profile export --format spo nginx > nginx-seccomp.yaml",
                            "A SeccompProfile for Kubernetes.").build())
            .example("attenuator profile list", "What has been learned so far.")
            .build();

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Arguments a, Terminal terminal) throws CommandException {
        try {
            switch (a.action()) {
                case "list" -> list(terminal);
                case "show" -> show(a, terminal);
                default -> export(a, terminal);
            }
        } catch (IOException e) {
            throw CommandException.io("learned profiles in " + store.directory(), e);
        }
        return 0;
    }

    private void list(Terminal terminal) throws IOException {
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
        String key = a.positionals().get(0);
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
        String key = a.positionals().get(0);
        String formatName = a.option("--format").orElse("oci");
        ExportFormat format = ExportFormat.parse(formatName)
                .orElseThrow(() -> CommandException.badInput("--format must be oci or spo, not " + formatName));
        load(key);
        terminal.out().print(store.export(key, format).orElseThrow());
    }
}
