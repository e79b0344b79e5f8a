package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.core.Json;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.LearningTemplate;
import org.attenuator.plugin.learning.ProfileStore;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.ProfileSource;
import org.attenuator.profile.ProfileWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code attenuator profile list | show KEY|builtin:NAME | export KEY [--format oci|spo] [--runtime R] | template
 * --learn KEY --runtime R --socket PATH | diff A B | merge A B [-o FILE]}: the learned profiles, the
 * built-in ones ({@code list} names them, {@code show builtin:NAME} prints one as shipped), the profile
 * a container learns under, and profiles compared and combined ({@link ProfileComparison}).
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
        // --runtime: the container runtime the export is for; its base syscalls are added (default runc)
        // template: the linux.seccomp of a container that learns KEY through the agent on --socket
        return "list [--json] | show KEY|builtin:NAME [--json] | export KEY [--format oci|spo] [--runtime runc|crun|none]"
                + " | template --learn KEY --runtime runc|crun --socket PATH | diff A B | merge A B [-o FILE]"
                + "    (A, B: a learned KEY, learned:KEY or a profile FILE)";
    }

    @Override
    public String summary() {
        // list --json: built-in and learned profiles as one JSON object (docs/json.md);
        // show --json: the profile's OCI JSON; show builtin:NAME: a built-in profile as shipped
        return "list, show and export learned profiles, list and show built-in ones (spo: a security-profiles-operator"
                + " SeccompProfile; --json: for scripts), write the profile a container learns under (template);"
                + " diff two (exit 0 same, 1 different, 2 error) or merge them (union; conflicting actions: the stricter)";
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws CommandException {
        Arguments a = Arguments.parse(args, Set.of("--format", "--runtime", "--learn", "--socket", "-o"),
                Set.of(JsonOption.NAME));
        String action = a.positional(0, "list, show, export, template, diff or merge");
        if (a.option("-o").isPresent() && !action.equals("merge")) {
            throw CommandException.badInput("-o goes with merge");
        }
        try {
            switch (action) {
                case "list" -> list(a.atMostPositionals(1), terminal);
                case "show" -> show(a.atMostPositionals(2), terminal);
                case "export" -> export(a.atMostPositionals(2), terminal);
                case "template" -> template(a.atMostPositionals(1), terminal);
                case "diff" -> {
                    return new ProfileComparison(store).diff(a.atMostPositionals(3), terminal);
                }
                case "merge" -> {
                    return new ProfileComparison(store).merge(a.atMostPositionals(3), terminal);
                }
                default -> throw CommandException.badInput("unknown action " + action
                        + ": list, show, export, template, diff or merge");
            }
        } catch (IOException e) {
            throw CommandException.io("learned profiles in " + store.directory(), e);
        }
        return 0;
    }

    private void list(Arguments a, Terminal terminal) throws IOException {
        List<LearnedProfile> profiles = store.list();
        if (a.flag(JsonOption.NAME)) {
            terminal.out().print(Json.write(listJson(profiles)));
            return;
        }
        if (profiles.isEmpty()) {
            terminal.out().println("no learned profiles in " + store.directory());
        } else {
            Table table = new Table("KEY", "SYSCALLS", "RUNS", "UNCHANGED", "UPDATED", "FILE");
            for (LearnedProfile p : profiles) {
                table.row(p.key(), p.syscalls().size(), p.runs(), p.runsWithoutChange(), p.updated(),
                        p.file().getFileName());
            }
            table.print(terminal.out());
        }
        terminal.out().println();
        Table builtins = new Table("BUILT IN", "DESCRIPTION");
        for (String name : BuiltinProfiles.NAMES) {
            builtins.row(ProfileSource.BUILTIN_PREFIX + name, BuiltinProfiles.description(name).orElseThrow());
        }
        builtins.print(terminal.out());
    }

    /** {@code {"directory", "builtin": [{name, description, default}], "learned": [{key, file, ...}]}}. */
    private ObjectNode listJson(List<LearnedProfile> profiles) {
        ObjectNode root = Json.object().put("directory", store.directory().toString());
        ArrayNode builtins = root.putArray("builtin");
        for (String name : BuiltinProfiles.NAMES) {
            builtins.addObject().put("name", ProfileSource.BUILTIN_PREFIX + name)
                    .put("description", BuiltinProfiles.description(name).orElseThrow())
                    .put("default", name.equals(BuiltinProfiles.DOCKER_DEFAULT));
        }
        ArrayNode learned = root.putArray("learned");
        for (LearnedProfile p : profiles) {
            learned.addObject().put("key", p.key()).put("file", p.file().toAbsolutePath().toString())
                    .put("syscalls", p.syscalls().size()).put("runs", p.runs())
                    .put("runsWithoutChange", p.runsWithoutChange()).put("updated", p.updated().toString());
        }
        return root;
    }

    private LearnedProfile load(String key) throws IOException, CommandException {
        return store.load(key).orElseThrow(
                () -> CommandException.badInput("no learned profile " + key + " in " + store.directory()));
    }

    private void show(Arguments a, Terminal terminal) throws IOException, CommandException {
        String key = a.positional(1, "KEY");
        if (key.startsWith(ProfileSource.BUILTIN_PREFIX)) {
            String name = key.substring(ProfileSource.BUILTIN_PREFIX.length());
            terminal.out().print(BuiltinProfiles.json(name)
                    .orElseThrow(() -> CommandException.badInput(BuiltinProfiles.unknown(name))));
            return;
        }
        if (a.flag(JsonOption.NAME)) {
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
        ContainerRuntime runtime = runtime(a, List.of(ContainerRuntime.values()));
        load(key);
        terminal.out().print(store.export(key, format, runtime).orElseThrow());
    }

    /**
     * The runtime an export or template is for. Default runc: exports are for containers, a profile
     * without its runtime's base does not start in any, and runc is what Docker, containerd and
     * CRI-O run by default.
     */
    private static ContainerRuntime runtime(Arguments a, List<ContainerRuntime> choices) throws CommandException {
        String name = a.option("--runtime").orElse("runc");
        return ContainerRuntime.parse(name).filter(choices::contains).orElseThrow(() -> {
            List<String> names = choices.stream().map(ContainerRuntime::toString).toList();
            return CommandException.badInput("--runtime must be " + String.join(", ", names.subList(0, names.size() - 1))
                    + " or " + names.get(names.size() - 1) + ", not " + name);
        });
    }

    private void template(Arguments a, Terminal terminal) throws CommandException {
        String key = a.option("--learn").orElseThrow(() -> CommandException.badInput("template: --learn KEY is required"));
        String socket = a.option("--socket").orElseThrow(
                () -> CommandException.badInput("template: --socket PATH is required (the agent's socket)"));
        ContainerRuntime runtime = runtime(a, List.of(ContainerRuntime.RUNC, ContainerRuntime.CRUN));
        try {
            terminal.out().print(ProfileWriter.toJson(LearningTemplate.forContainer(key, runtime, Path.of(socket))));
        } catch (IllegalArgumentException e) { // also an unusable --socket path (InvalidPathException)
            throw CommandException.badInput("template: " + e.getMessage());
        }
    }
}
