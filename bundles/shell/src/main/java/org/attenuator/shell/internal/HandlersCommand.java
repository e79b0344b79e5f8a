package org.attenuator.shell.internal;

import java.util.stream.Collectors;
import org.attenuator.shell.console.Available;
import org.attenuator.shell.console.ConsoleTable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.HandlerStatus;
import org.attenuator.core.Supervisor;

/** {@code seccomp:handlers}: the handler chain in order, then the rejected handlers with the reason. */
@Service
@Command(scope = "seccomp", name = "handlers",
        description = "Lists the syscall handlers in chain order (ranking, target trees, syscalls, faults), then those rejected and why.")
public class HandlersCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Override
    public Object execute() {
        ConsoleTable table = new ConsoleTable("SERVICE", "NAME", "RANKING", "TARGET", "SYSCALLS", "FAULTS", "STATE");
        for (HandlerStatus handler : Available.service(supervisor, Supervisor.class).handlers()) {
            table.row(handler.serviceId(), handler.name(), handler.ranking(),
                    handler.target().orElse("every tree"),
                    handler.syscalls().isEmpty() ? "all notified" : handler.syscalls().stream().sorted().collect(Collectors.joining(",")),
                    handler.faults(),
                    handler.rejectedBecause().map(reason -> "rejected: " + reason).orElse("in chain"));
        }
        table.print(session.getConsole(), noFormat);
        return null;
    }
}
