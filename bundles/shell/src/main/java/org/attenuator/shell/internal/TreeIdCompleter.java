package org.attenuator.shell.internal;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.TreeStatus;

/** Completes the ids of the trees under supervision now. */
@Service
public class TreeIdCompleter implements Completer {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Supervisor running = supervisor;
        // No supervisor, nothing to offer: a completer must not fail.
        List<String> ids = running == null ? List.of()
                : running.trees().stream().map(TreeStatus::id).collect(Collectors.toList());
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
