package org.attenuator.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.attenuator.core.Supervisor;

/** {@code seccomp:resume <id>|--all}: the handlers decide again. */
@Service
@Command(scope = "seccomp", name = "resume", description = "Runs the handlers again for a paused tree, or ends the pause of all trees.")
public class ResumeCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Argument(index = 0, name = "id", description = "The tree to resume; omit with --all.")
    @Completion(TreeIdCompleter.class)
    private String id;

    @Option(name = "--all", description = "Ends the pause of all trees (trees paused one by one stay paused).")
    private boolean all;

    @Override
    public Object execute() {
        TreeSelection.apply(id, all, supervisor, Supervisor::resume, Supervisor::resumeAll);
        return null;
    }
}
