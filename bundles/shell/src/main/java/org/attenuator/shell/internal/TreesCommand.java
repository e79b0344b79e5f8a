package org.attenuator.shell.internal;

import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.attenuator.core.Supervisor;
import org.attenuator.core.TreeStatus;

/** {@code seccomp:trees}: one line per supervised process tree. */
@Service
@Command(scope = "seccomp", name = "trees", description = "Lists the process trees under supervision, with their policy, state and counters.")
public class TreesCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = Tables.NO_FORMAT)
    private boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = Tables.withColumns("ID", "PID", "POLICY", "STATE", "PHASE", "NOTIFICATIONS", "ALLOWED", "DENIED", "KILLED");
        for (TreeStatus tree : Available.service(supervisor, Supervisor.class).trees()) {
            TreeStatus.Counters c = tree.counters();
            table.addRow().addContent(tree.id(), tree.pid(), tree.policy().name(), TreeState.of(tree), tree.phase(),
                    c.notifications(), c.allowed(), c.denied(), c.killed());
        }
        Tables.print(table, session.getConsole(), noFormat);
        return null;
    }
}
