package org.attenuator.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.shell.console.Available;

/** {@code seccomp:swap <tree> <profile>}: replaces a live tree's policy; calls in flight finish on the old one. */
@Service
@Command(scope = "seccomp", name = "swap", description = "Replaces the policy of a running tree with the one of a profile, atomically.")
public class SwapCommand implements Action {

    @Reference(optional = true)
    private Supervisor supervisor;

    @Reference(optional = true)
    private PolicySource policies;

    @Argument(index = 0, name = "tree", required = true, description = Descriptions.TREE_ID)
    @Completion(TreeIdCompleter.class)
    private String tree;

    @Argument(index = 1, name = "profile", required = true, description = "A profile file, or a built-in name (docker-default, docker-20.10).")
    @Completion(FileCompleter.class)
    private String profile;

    @Override
    public Object execute() {
        // a file named relative to Karaf's working directory, as the file completer offers it
        String reference = Files.isRegularFile(Path.of(profile)) ? Path.of(profile).toAbsolutePath().toString() : profile;
        TreePolicy policy = Available.service(policies, PolicySource.class).policyFor(reference)
                .orElseThrow(() -> new IllegalArgumentException("no profile " + profile
                        + ": no policy source knows it (the built-in one reads absolute file paths, docker-default and docker-20.10)"));
        Available.service(supervisor, Supervisor.class).swapPolicy(tree, policy);
        return null;
    }
}
