package org.attenuator.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.shell.console.ConsoleTable;

/**
 * {@code seccomp:keeper}: the fallback keeper (feature attenuator-fallback): its state, pid and
 * socket, then the trees it covers with the fallback table each gets if the supervisor dies.
 */
@Service
@Command(scope = "seccomp", name = "keeper",
        description = "Shows the fallback keeper (attenuator-fallback) and the trees under fallback: what each gets while the supervisor is down.")
public class KeeperCommand implements Action {

    @Reference(optional = true)
    private KeeperStatus keeper;

    @Reference
    private Session session;

    @Option(name = "--no-format", description = ConsoleTable.NO_FORMAT)
    private boolean noFormat;

    @Override
    public Object execute() {
        if (keeper == null) {
            session.getConsole().println("No keeper: the feature attenuator-fallback is not installed; a supervisor crash"
                    + " fails every notified call with ENOSYS.");
            return null;
        }
        KeeperStatus.Report r = keeper.report();
        session.getConsole().println("keeper: " + r.state().name().toLowerCase()
                + (r.keeperPid() > 0 ? ", pid " + r.keeperPid() : "") + ", socket " + r.socket() + ", since " + r.since()
                + ", restarts " + r.restarts() + "; " + r.detail());
        ConsoleTable table = new ConsoleTable("TREE", "KEEPER ID", "PID", "FALLBACK", "FROM");
        for (KeeperStatus.CoveredTree t : r.trees()) {
            table.row(t.treeId(), t.custodyId(), t.pid(), t.fallback(), t.source());
        }
        table.print(session.getConsole(), noFormat);
        return null;
    }
}
