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
 * {@code attenuator profile list | show KEY|builtin:NAME | export KEY | template | diff A B | merge A B}:
 * the learned profiles, the built-in ones ({@code list} names them, {@code show builtin:NAME} prints
 * one as shipped), the profile a container learns under, and profiles compared and combined
 * ({@link ProfileComparison}). The actions and their options are declared in {@link ProfileSpec}.
 */
@Component(service = Subcommand.class)
public final class ProfileCommand implements Subcommand {

    private final ProfileStore store;

    @Activate
    public ProfileCommand(@Reference ProfileStore store) {
        this.store = store;
    }

    @Override
    public CommandSpec spec() {
        return ProfileSpec.SPEC;
    }

    @Override
    public int run(Arguments a, Terminal terminal) throws CommandException {
        try {
            switch (a.action()) {
                case "list" -> list(a, terminal);
                case "show" -> show(a, terminal);
                case "export" -> export(a, terminal);
                case "template" -> template(a, terminal);
                case "diff" -> {
                    return new ProfileComparison(store).diff(a, terminal);
                }
                default -> {
                    return new ProfileComparison(store).merge(a, terminal);
                }
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
        String key = a.positionals().get(0);
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
        String key = a.positionals().get(0);
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
