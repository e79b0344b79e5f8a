package org.attenuator.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.attenuator.shell.console.OutputPump;
import org.attenuator.shell.console.Available;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;

/** {@code seccomp:launch -- CMD ARGS}: the console face of {@link Launcher}, as {@code attenuator run}. */
@Service
@Command(scope = "seccomp", name = "launch",
        description = "Runs a program under a seccomp filter from its first instruction, supervised; its output goes to this console. "
                + "Interrupting the command (Ctrl-C) kills the program.")
public class LaunchCommand implements Action {

    @Reference(optional = true)
    private Launcher launcher;

    @Reference
    private Session session;

    @Option(name = "--profile", description = "The profile file (OCI / Docker seccomp JSON); default: Docker's default profile.")
    @Completion(FileCompleter.class)
    private String profile;

    @Option(name = "--kernel-only", description = "Evaluates the filter purely in the kernel; no supervisor after the start.")
    private boolean kernelOnly;

    @Option(name = "--agent", description = "Hands the tree to the agent listening on this socket instead of this supervisor.")
    @Completion(FileCompleter.class)
    private String agent;

    // Karaf stops reading options at the first argument but has no "--" of its own; as a flag it
    // reads as the CLI's "run -- CMD ARGS" does.
    @Option(name = "--", description = "Ends the options: the program and its arguments follow.")
    private boolean endOfOptions;

    @Argument(index = 0, name = "command", required = true, multiValued = true,
            description = "The program and its arguments (after --); their own options stay theirs.")
    private List<String> command;

    @Override
    public Object execute() throws Exception {
        Launch.Builder launch = Launch.command(command).stdio(Launch.Stdio.PIPE);
        if (profile != null) {
            launch.profile(LaunchProfile.read(Paths.of(profile)));
        }
        if (kernelOnly) {
            launch.kernelOnly();
        }
        if (agent != null) {
            launch.agent(Paths.of(agent));
        }
        PrintStream console = session.getConsole();
        // Closing kills the program if it still runs: that is what an interrupted waitFor leads to.
        try (LaunchedProcess target = Available.service(launcher, Launcher.class).launch(launch.build())) {
            console.println("pid " + target.pid() + target.treeId().map(tree -> ", tree " + tree).orElse(""));
            // The console's input is the shell's, not the program's: it reads end of file.
            target.process().getOutputStream().close();
            Thread out = OutputPump.start(target.process().getInputStream(), console);
            Thread err = OutputPump.start(target.process().getErrorStream(), console);
            int status = target.waitFor();
            out.join();
            err.join();
            if (status != 0) {
                console.println("exit status " + status);
            }
        }
        return null;
    }
}
