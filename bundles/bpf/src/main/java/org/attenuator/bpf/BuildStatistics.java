package org.attenuator.bpf;

import java.util.Map;

/**
 * What a compilation produced: sizes, the longest path any call can take, and per architecture
 * how many system calls have rules and how many of those do not depend on arguments (so the
 * kernel's constant-action cache can decide them without running the filter).
 */
public record BuildStatistics(int instructions, int longestPath, Map<Arch, Integer> syscallsWithRules,
        Map<Arch, Integer> argumentFreeSyscalls, int passRounds, long compileNanos) {

    public BuildStatistics {
        syscallsWithRules = Map.copyOf(syscallsWithRules);
        argumentFreeSyscalls = Map.copyOf(argumentFreeSyscalls);
    }

    @Override
    public String toString() {
        return String.format("%d instructions, longest path %d, syscalls with rules %s, argument-free %s, "
                + "%d pass rounds, %.2f ms", instructions, longestPath, syscallsWithRules, argumentFreeSyscalls,
                passRounds, compileNanos / 1e6);
    }
}
