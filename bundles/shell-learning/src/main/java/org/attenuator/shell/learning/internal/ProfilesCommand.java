package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.util.List;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
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

    @Option(name = "--no-format", description = "Prints the table without header, borders or alignment, for scripts.")
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
        ShellTable table = new ShellTable();
        for (String column : new String[] {"KEY", "SYSCALLS", "RUNS", "UNCHANGED", "UPDATED", "FILE"}) {
            table.column(column);
        }
        for (LearnedProfile p : all) {
            table.addRow().addContent(p.key(), p.syscalls().size(), p.runs(), p.runsWithoutChange(), p.updated(),
                    p.file().getFileName());
        }
        table.print(session.getConsole(), !noFormat);
        return null;
    }
}
