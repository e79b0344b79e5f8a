package org.attenuator.shell.internal;

import java.io.PrintStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.Supervisor;
import org.attenuator.core.TreeStatus;

/** {@code seccomp:tree <id>}: everything the supervisor knows about one tree. */
@Service
@Command(scope = "seccomp", name = "tree", description = "Shows one supervised tree: its properties, policy, state and counters.")
public class TreeCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference
    private Session session;

    @Argument(index = 0, name = "id", required = true, description = Descriptions.TREE_ID)
    @Completion(TreeIdCompleter.class)
    private String id;

    @Override
    public Object execute() {
        TreeStatus tree = Available.service(supervisor, Supervisor.class).tree(id)
                .orElseThrow(() -> new NoSuchElementException("no supervised tree " + id));
        PrintStream out = session.getConsole();
        out.println("tree " + tree.id() + ", pid " + tree.pid() + ", " + TreeState.of(tree) + ", phase " + tree.phase());
        out.println("policy: " + tree.policy());
        out.println("counters: " + tree.counters());
        out.println("properties:");
        for (Map.Entry<String, Object> property : new TreeMap<>(tree.properties()).entrySet()) {
            out.println("  " + property.getKey() + " = " + property.getValue());
        }
        return null;
    }
}
