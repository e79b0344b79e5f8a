package org.attenuator.shell.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.attenuator.core.TreeStatusJson;
import org.attenuator.shell.console.Available;
import org.attenuator.shell.console.ConsoleTable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.Json;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.TreeStatus;

/** {@code seccomp:trees}: one line per supervised process tree. */
@Service
@Command(scope = "seccomp", name = "trees", description = "Lists the process trees under supervision, with their policy, state and counters.")
public class TreesCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Option(name = "--json", description = Descriptions.JSON)
    private boolean json;

    @Override
    public Object execute() {
        List<TreeStatus> trees = Available.service(supervisor, Supervisor.class).trees();
        if (json) {
            ArrayNode list = Json.array();
            trees.forEach(tree -> list.add(TreeStatusJson.of(tree)));
            session.getConsole().print(Json.write(list));
            return null;
        }
        ConsoleTable table = new ConsoleTable("ID", "PID", "POLICY", "STATE", "PHASE", "NOTIFICATIONS", "ALLOWED", "DENIED", "KILLED");
        for (TreeStatus tree : trees) {
            TreeStatus.Counters c = tree.counters();
            table.row(tree.id(), tree.pid(), tree.policy().name(), TreeState.of(tree), tree.phase(),
                    c.notifications(), c.allowed(), c.denied(), c.killed());
        }
        table.print(session.getConsole(), noFormat);
        return null;
    }
}
