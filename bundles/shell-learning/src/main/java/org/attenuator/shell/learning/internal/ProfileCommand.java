package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.attenuator.shell.console.Available;
import org.attenuator.shell.console.ConsoleTable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.ProfileDiff;
import org.attenuator.plugin.learning.ProfileMerge;
import org.attenuator.plugin.learning.ProfileStore;
import org.attenuator.profile.ProfileWriter;

/**
 * {@code seccomp:profile show|export KEY} and {@code seccomp:profile diff|merge A B [-o FILE]}: as
 * {@code attenuator profile ...}, arguments in the same order.
 */
@Service
@Command(scope = "seccomp", name = "profile",
        description = "Shows a learned profile (its runs and syscalls), or exports it as an OCI seccomp profile "
                + "or a security-profiles-operator SeccompProfile; diff A B shows what changed from A to B, merge A B "
                + "combines them (union; conflicting actions: the stricter). A and B: a learned key, learned:KEY or a "
                + "profile file.")
public class ProfileCommand implements Action {

    @Reference(optional = true)
    private ProfileStore store;

    @Reference
    private Session session;

    @Option(name = "--format", description = "export: oci (the OCI / Docker seccomp JSON, as stored; default) "
            + "or spo (a security-profiles-operator SeccompProfile resource).")
    @Completion(value = StringsCompleter.class, values = {"oci", "spo"})
    private String format = "oci";

    @Option(name = "--runtime", description = "export: the container runtime the profile is for: its own base "
            + "syscalls (what it calls after installing the filter) are added. runc (the default: what Docker, "
            + "containerd and CRI-O run), crun, or none (the learned calls only).")
    @Completion(value = StringsCompleter.class, values = {"runc", "crun", "none"})
    private String runtime = "runc";

    @Option(name = "--json", description = "show: prints the stored OCI profile JSON instead of the summary.")
    private boolean json;

    @Option(name = "--no-format", description = "show: " + ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Option(name = "-o", description = "merge: the file to write the merged profile to (default: the console).")
    private String output;

    @Argument(index = 0, name = "action", required = true, description = "show, export, diff or merge.")
    @Completion(value = StringsCompleter.class, values = {"show", "export", "diff", "merge"})
    private String action;

    @Argument(index = 1, name = "key", required = true,
            description = "The learning key, or the profile's file name as seccomp:profiles shows it; "
                    + "diff and merge: A, a key, learned:KEY or a profile file.")
    @Completion(ProfileKeyCompleter.class)
    private String key;

    @Argument(index = 2, name = "other", description = "diff and merge: B, a key, learned:KEY or a profile file.")
    @Completion(ProfileKeyCompleter.class)
    private String other;

    @Override
    public Object execute() {
        ProfileStore profiles = Available.service(store, ProfileStore.class);
        switch (action) {
            case "show" -> show(profiles);
            case "export" -> export(profiles, ExportFormat.parse(format).orElseThrow(
                    () -> new IllegalArgumentException("--format must be oci or spo, not " + format)),
                    ContainerRuntime.parse(runtime).orElseThrow(
                            () -> new IllegalArgumentException("--runtime must be runc, crun or none, not " + runtime)));
            case "diff" -> ProfileDiff.between(Stored.rules(profiles, key), Stored.rules(profiles, required(other)))
                    .lines().forEach(session.getConsole()::println);
            case "merge" -> merge(profiles);
            default -> throw new IllegalArgumentException("unknown action " + action + ": show, export, diff or merge");
        }
        return null;
    }

    private static String required(String b) {
        if (b == null) {
            throw new IllegalArgumentException("diff and merge compare two profiles: A B");
        }
        return b;
    }

    /** The union to {@code -o FILE} or the console; each conflict and how it was resolved to the console. */
    private void merge(ProfileStore profiles) {
        ProfileMerge merge = ProfileMerge.of(Stored.rules(profiles, key), Stored.rules(profiles, required(other)));
        PrintStream out = session.getConsole();
        merge.conflicts().forEach(c -> out.println("merge conflict: " + c));
        String name = output == null ? "merged" : Path.of(output).getFileName().toString().replaceFirst("\\.json$", "");
        String json = ProfileWriter.toJson(merge.merged().toProfile(name));
        if (output == null) {
            out.print(json);
            return;
        }
        try {
            Files.writeString(Path.of(output), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }

    private void show(ProfileStore profiles) {
        LearnedProfile p = Stored.load(profiles, key);
        PrintStream out = session.getConsole();
        if (json) {
            out.print(exported(profiles, ExportFormat.OCI, ContainerRuntime.NONE));
            return;
        }
        out.println("key:                 " + p.key());
        out.println("file:                " + p.file());
        out.println("runs:                " + p.runs());
        out.println("runs without change: " + p.runsWithoutChange());
        out.println("updated:             " + p.updated());
        out.println();
        ConsoleTable table = new ConsoleTable("SYSCALL", "ARCH", "ARGUMENTS", "SEEN");
        for (Map.Entry<LearnedSyscall, Set<Phase>> e : p.syscalls().entrySet()) {
            LearnedSyscall s = e.getKey();
            table.row(s.name(), s.arch(),
                    s.args().stream().map(Object::toString).collect(Collectors.joining(", ")),
                    e.getValue().contains(Phase.RUN) ? "" : "init only");
        }
        table.print(out, noFormat);
    }

    private void export(ProfileStore profiles, ExportFormat as, ContainerRuntime forRuntime) {
        Stored.load(profiles, key);
        session.getConsole().print(exported(profiles, as, forRuntime));
    }

    private String exported(ProfileStore profiles, ExportFormat as, ContainerRuntime forRuntime) {
        try {
            return profiles.export(key, as, forRuntime).orElseThrow(() -> new IllegalStateException(
                    "learned profile " + key + " was removed from " + profiles.directory() + " meanwhile"));
        } catch (IOException e) {
            throw Stored.failed(profiles, e);
        }
    }
}
