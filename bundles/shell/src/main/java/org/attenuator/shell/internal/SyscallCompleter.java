package org.attenuator.shell.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;

/** Completes system call names of this machine's architecture (its table in the BPF bundle). */
@Service
public class SyscallCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = Arch.host().map(arch -> List.copyOf(SyscallTable.of(arch).names())).orElse(List.of());
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
