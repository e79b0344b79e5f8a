package org.attenuator.bpf;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a filter must do, independent of any file format: the architectures it covers, the action
 * for system calls no rule matches, and the rules. A rule applies to every architecture unless it
 * names some ({@link Rule#arches()}); a system call an architecture lacks is skipped there.
 *
 * <p>When several rules of one system call match, the most restrictive action wins (the kernel's
 * order, {@link Action#isMoreRestrictiveThan}); between equally restrictive ones, the first.
 */
public record Policy(Action defaultAction, List<Arch> arches, List<Rule> rules) {

    public Policy {
        Objects.requireNonNull(defaultAction, "defaultAction");
        arches = List.copyOf(arches);
        rules = List.copyOf(rules);
        if (arches.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one architecture");
        }
        if (EnumSet.copyOf(arches).size() != arches.size()) {
            throw new IllegalArgumentException("duplicate architecture in " + arches);
        }
    }

    /** The rules that apply to system call {@code nr} of {@code abi}, in policy order. */
    public List<Rule> rulesFor(Arch abi, int nr) {
        SyscallTable table = SyscallTable.of(abi);
        return rules.stream().filter(r -> r.appliesTo(abi) && table.number(r.syscall()).stream().anyMatch(n -> n == nr))
                .collect(Collectors.toList());
    }

    /**
     * The reference semantics every compiled program must agree with: the rule that decides a
     * call, or empty when the default (or the bad-arch) action applies.
     */
    public Optional<Rule> decidingRule(Arch abi, int nr, long[] args) {
        Arch effective = abiOf(abi, nr);
        if (!arches.contains(effective)) {
            return Optional.empty();
        }
        Rule best = null;
        for (Rule rule : rulesFor(effective, nr)) {
            if (rule.matches(effective, args) && (best == null || rule.action().isMoreRestrictiveThan(best.action()))) {
                best = rule;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The action of a call by the reference semantics; {@code badArch} for an ABI the policy does not cover. */
    public Action actionFor(Arch abi, int nr, long[] args, Action badArch) {
        boolean auditArchCovered = arches.stream().anyMatch(a -> a.auditArch() == abi.auditArch());
        if (nr == -1 && auditArchCovered) {
            return defaultAction;  // a tracer skipping the call; libseccomp lets the default decide
        }
        if (!arches.contains(abiOf(abi, nr))) {
            return badArch;
        }
        return decidingRule(abi, nr, args).map(Rule::action).orElse(defaultAction);
    }

    /** x86_64 and x32 share an audit arch; the x32 bit in nr tells which ABI made the call. */
    private static Arch abiOf(Arch abi, int nr) {
        if (abi != Arch.X86_64 && abi != Arch.X32) {
            return abi;
        }
        return (nr & Arch.X32_SYSCALL_BIT) != 0 ? Arch.X32 : Arch.X86_64;
    }
}
