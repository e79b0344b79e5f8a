package org.attenuator.bpf;

import java.util.List;
import java.util.Optional;

/**
 * Why a call gets its action: the rule that decided (empty when the default or the bad-arch
 * action applies), the rules of that system call that were considered, and the instructions
 * the compiled program executed, disassembled.
 */
public record Explanation(SeccompData call, Action action, Optional<Rule> decidingRule, List<Rule> candidateRules,
        List<String> executed) {

    public Explanation {
        candidateRules = List.copyOf(candidateRules);
        executed = List.copyOf(executed);
    }

    /** A few lines for a terminal. */
    public String render() {
        StringBuilder b = new StringBuilder("action: ").append(action).append('\n');
        b.append("decided by: ").append(decidingRule.map(Rule::toString).orElse("the default action")).append('\n');
        if (!candidateRules.isEmpty()) {
            b.append("rules for this syscall:\n");
            candidateRules.forEach(r -> b.append("  ").append(r).append('\n'));
        }
        b.append("path (").append(executed.size()).append(" instructions):\n");
        executed.forEach(line -> b.append(line).append('\n'));
        return b.toString();
    }
}
