package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.io.PrintStream;
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
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.ProfileStore;

/** {@code seccomp:profile show|export KEY}: one learned profile, as {@code attenuator profile show|export}. */
@Service
@Command(scope = "seccomp", name = "profile",
        description = "Shows a learned profile (its runs and syscalls), or exports it as an OCI seccomp profile "
                + "or a security-profiles-operator SeccompProfile.")
public class ProfileCommand implements Action {

    @Reference(optional = true)
    private ProfileStore store;

    @Reference
    private Session session;

    @Option(name = "--format", description = "export: oci (the OCI / Docker seccomp JSON, as stored; default) "
            + "or spo (a security-profiles-operator SeccompProfile resource).")
    @Completion(value = StringsCompleter.class, values = {"oci", "spo"})
    private String format = "oci";

    @Option(name = "--json", description = "show: prints the stored OCI profile JSON instead of the summary.")
    private boolean json;

    @Option(name = "--no-format", description = "show: " + ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Argument(index = 0, name = "action", required = true, description = "show or export.")
    @Completion(value = StringsCompleter.class, values = {"show", "export"})
    private String action;

    @Argument(index = 1, name = "key", required = true,
            description = "The learning key, or the profile's file name as seccomp:profiles shows it.")
    @Completion(ProfileKeyCompleter.class)
    private String key;

    @Override
    public Object execute() {
        ProfileStore profiles = Available.service(store, ProfileStore.class);
        switch (action) {
            case "show" -> show(profiles);
            case "export" -> export(profiles, ExportFormat.parse(format).orElseThrow(
                    () -> new IllegalArgumentException("--format must be oci or spo, not " + format)));
            default -> throw new IllegalArgumentException("unknown action " + action + ": show or export");
        }
        return null;
    }

    private void show(ProfileStore profiles) {
        LearnedProfile p = Stored.load(profiles, key);
        PrintStream out = session.getConsole();
        if (json) {
            out.print(exported(profiles, ExportFormat.OCI));
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

    private void export(ProfileStore profiles, ExportFormat as) {
        Stored.load(profiles, key);
        session.getConsole().print(exported(profiles, as));
    }

    private String exported(ProfileStore profiles, ExportFormat as) {
        try {
            return profiles.export(key, as).orElseThrow(() -> new IllegalStateException(
                    "learned profile " + key + " was removed from " + profiles.directory() + " meanwhile"));
        } catch (IOException e) {
            throw Stored.failed(profiles, e);
        }
    }
}
