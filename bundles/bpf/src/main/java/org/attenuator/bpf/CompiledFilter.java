package org.attenuator.bpf;

import java.util.Objects;

/** A program ready to install, with the policy it came from and how it was built. */
public record CompiledFilter(Policy policy, CompileOptions options, BpfProgram program, BuildStatistics statistics) {

    public CompiledFilter {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(statistics, "statistics");
    }
}
