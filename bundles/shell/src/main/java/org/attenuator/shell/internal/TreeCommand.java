package org.attenuator.shell.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.attenuator.core.TreeStatusJson;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.api.Decision;
import org.attenuator.core.Json;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;

/** {@code seccomp:tree <id>}: everything the supervisor knows about one tree. */
@Service
@Command(scope = "seccomp", name = "tree", description = "Shows one supervised tree: its properties, policy, state and counters.")
public class TreeCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference
    private Session session;

    @Option(name = "--json", description = Descriptions.JSON)
    private boolean json;

    @Argument(index = 0, name = "id", required = true, description = Descriptions.TREE_ID)
    @Completion(TreeIdCompleter.class)
    private String id;

    @Override
    public Object execute() {
        TreeStatus tree = Available.service(supervisor, Supervisor.class).tree(id)
                .orElseThrow(() -> new NoSuchElementException("no supervised tree " + id));
        PrintStream out = session.getConsole();
        if (json) {
            out.print(Json.write(TreeStatusJson.of(tree)));
            return null;
        }
        out.println("tree " + tree.id() + ", pid " + tree.pid() + ", " + TreeState.of(tree) + ", phase " + tree.phase());
        TreePolicy policy = tree.policy();
        out.println("policy: " + policy.name());
        out.println("  undecided: " + policy.undecided());
        out.println("  decisions: " + decisions(policy.decisions()));
        if (policy.hasApplyPoint()) {
            out.println("  apply point: " + String.join(", ", policy.applyPoint()));
            out.println("  before it: " + decisions(policy.initDecisions()));
        }
        policy.executableDecisions().forEach((program, byCall) -> out.println("  for " + program + ": " + decisions(byCall)));
        policy.handlers().ifPresent(filter -> out.println("  handlers: " + filter));
        TreeStatus.Counters c = tree.counters();
        out.println("counters: notifications " + c.notifications() + ", allowed " + c.allowed() + ", responded "
                + c.responded() + ", denied " + c.denied() + ", killed " + c.killed() + ", paused " + c.paused()
                + ", target gone " + c.targetGone() + ", handler faults " + c.handlerFaults() + ", errors " + c.errors());
        out.println("properties:");
        for (Map.Entry<String, Object> property : new TreeMap<>(tree.properties()).entrySet()) {
            JsonNode value = Json.value(property.getValue());
            out.println("  " + property.getKey() + " = " + (value.isTextual() ? value.asText() : value.toString()));
        }
        return null;
    }

    /** {@code mkdir deny(1), openat allow}, by syscall name; {@code none} for none. */
    private static String decisions(Map<String, Decision> bySyscall) {
        return bySyscall.isEmpty() ? "none" : new TreeMap<>(bySyscall).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
