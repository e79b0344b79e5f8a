package org.attenuator.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.api.Decision;
import org.attenuator.core.Supervisor;

/** {@code seccomp:pause <id>|--all}: switches the handlers off; the tree keeps running on a fixed answer. */
@Service
@Command(scope = "seccomp", name = "pause",
        description = "Stops running the handlers for a tree (or all trees): its notified system calls get a fixed answer until seccomp:resume.")
public class PauseCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Argument(index = 0, name = "id", description = "The tree to pause; omit with --all.")
    @Completion(TreeIdCompleter.class)
    private String id;

    @Option(name = "--all", description = "Pauses every tree, present and future.")
    private boolean all;

    @Option(name = "--answer", description = "What notified calls get meanwhile: " + Answers.SYNTAX + " (default allow).")
    @Completion(value = StringsCompleter.class, values = {"allow", "kill", "errno:EPERM", "errno:ENOSYS"})
    private String answer = "allow";

    @Override
    public Object execute() {
        Decision decision = Answers.parse(answer);
        TreeSelection.apply(id, all, supervisor, (running, tree) -> running.pause(tree, decision), running -> running.pauseAll(decision));
        return null;
    }
}
