package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.util.List;
import org.attenuator.shell.console.Available;
import org.attenuator.shell.console.ConsoleTable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.ProfileStore;

/** {@code seccomp:profiles}: the learned profiles, as {@code attenuator profile list}. */
@Service
@Command(scope = "seccomp", name = "profiles",
        description = "Lists the learned profiles: key, syscalls, learning runs, runs in a row without change, last update, file.")
public class ProfilesCommand implements Action {

    @Reference(optional = true)
    private ProfileStore store;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Override
    public Object execute() {
        ProfileStore profiles = Available.service(store, ProfileStore.class);
        List<LearnedProfile> all;
        try {
            all = profiles.list();
        } catch (IOException e) {
            throw Stored.failed(profiles, e);
        }
        if (all.isEmpty() && !noFormat) {
            session.getConsole().println("no learned profiles in " + profiles.directory());
            return null;
        }
        ConsoleTable table = new ConsoleTable("KEY", "SYSCALLS", "RUNS", "UNCHANGED", "UPDATED", "FILE");
        for (LearnedProfile p : all) {
            table.row(p.key(), p.syscalls().size(), p.runs(), p.runsWithoutChange(), p.updated(),
                    p.file().getFileName());
        }
        table.print(session.getConsole(), noFormat);
        return null;
    }
}
