package org.attenuator.shell.internal;

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
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Explanation;
import org.attenuator.profile.ProfileCompiler;
import org.attenuator.profile.ResolveOptions;

/** {@code seccomp:explain}: the console face of {@link ProfileCompiler#explain}, as {@code attenuator explain}. */
@Service
@Command(scope = "seccomp", name = "explain",
        description = "Shows the action one system call gets under a profile, the rule that decides it and the filter's path.")
public class ExplainCommand implements Action {

    @Reference(optional = true)
    private ProfileCompiler compiler;

    @Reference
    private Session session;

    @Argument(index = 0, name = "profile", required = true, description = Descriptions.PROFILE_FILE)
    @Completion(FileCompleter.class)
    private String profile;

    @Argument(index = 1, name = "syscall", required = true, description = "A system call name (or its number on that architecture).")
    @Completion(SyscallCompleter.class)
    private String syscall;

    @Option(name = "--arch", description = "The caller's architecture; default: this machine's.")
    @Completion(ArchCompleter.class)
    private String arch;

    @Option(name = "--args", description = "Register arguments a0,a1,.. (decimal or 0x hex, unsigned 64-bit).")
    private String args;

    @Override
    public Object execute() throws Exception {
        Arch abi = arch == null ? Arches.host() : Arches.parse(arch);
        long[] registers = args == null ? new long[0] : Arguments.registers(args);
        Explanation explanation = Available.service(compiler, ProfileCompiler.class)
                .explain(Paths.profile(profile), ResolveOptions.defaults(), abi, syscall, registers);
        session.getConsole().print(explanation.render());
        return null;
    }
}
