package org.attenuator.bpf;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One system call, the action it gets and the conditions (all must hold) under which.
 * {@code origin} says where the rule came from (a JSON path such as {@code syscalls[3]}) for
 * explanations and errors; it may be empty. {@code arches} limits the rule to some of the policy's
 * architectures (a syscall learned on x86_64 only, say); empty means every architecture.
 */
public record Rule(String syscall, Action action, List<Condition> conditions, String origin, Set<Arch> arches) {

    public Rule {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(action, "action");
        conditions = List.copyOf(conditions);
        origin = origin == null ? "" : origin;
        arches = Set.copyOf(arches);
        if (syscall.isEmpty()) {
            throw new IllegalArgumentException("empty syscall name");
        }
    }

    /**
     * A rule for every architecture of the policy.
     *
     * @since 0.2.0
     */
    public Rule(String syscall, Action action, List<Condition> conditions, String origin) {
        this(syscall, action, conditions, origin, Set.of());
    }

    public Rule(String syscall, Action action, Condition... conditions) {
        this(syscall, action, List.of(conditions), "");
    }

    /** Whether the rule applies to calls of {@code abi}. */
    public boolean appliesTo(Arch abi) {
        return arches.isEmpty() || arches.contains(abi);
    }

    /**
     * This rule with another action, for the same architectures.
     *
     * @since 0.2.0
     */
    public Rule withAction(Action other) {
        return new Rule(syscall, other, conditions, origin, arches);
    }

    public boolean isUnconditional() {
        return conditions.isEmpty();
    }

    /** Whether every condition holds for these arguments (see {@link Arch#comparesLowWordOnly()}). */
    public boolean matches(Arch arch, long[] args) {
        for (Condition c : conditions) {
            boolean low = arch.comparesLowWordOnly();
            Condition effective = low ? c.lowWord() : c;
            long arg = low ? args[c.argIndex()] & 0xffffffffL : args[c.argIndex()];
            if (!effective.matches(arg)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String where = origin.isEmpty() ? "" : origin + " ";
        String on = arches.isEmpty() ? "" : " on " + new java.util.TreeSet<>(arches);
        return where + syscall + on + (conditions.isEmpty() ? "" : " if " + conditions) + " -> " + action;
    }
}
