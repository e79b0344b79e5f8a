package org.attenuator.bpf;

import java.util.List;
import java.util.Objects;

/**
 * One system call, the action it gets and the conditions (all must hold) under which.
 * {@code origin} says where the rule came from (a JSON path such as {@code syscalls[3]}) for
 * explanations and errors; it may be empty.
 */
public record Rule(String syscall, Action action, List<Condition> conditions, String origin) {

    public Rule {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(action, "action");
        conditions = List.copyOf(conditions);
        origin = origin == null ? "" : origin;
        if (syscall.isEmpty()) {
            throw new IllegalArgumentException("empty syscall name");
        }
    }

    public Rule(String syscall, Action action, Condition... conditions) {
        this(syscall, action, List.of(conditions), "");
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
        return where + syscall + (conditions.isEmpty() ? "" : " if " + conditions) + " -> " + action;
    }
}
