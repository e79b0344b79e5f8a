package org.attenuator.profile.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hole io_uring makes in a profile: when io_uring_setup is allowed, every op in
 * {@link IoUringOps} runs in the kernel without its system call, so the profile's denials and
 * notifications of those calls do not hold for it. An op counts when the profile restricts every
 * call it stands for (FUTEX_WAIT is no bypass while futex is allowed). One WARN line names the
 * ops and the calls.
 */
public final class IoUringBypass {

    private static final Logger LOG = LoggerFactory.getLogger(IoUringBypass.class);
    /** The lines already logged: a profile resolved again (each run, each agent tree) warns once. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private IoUringBypass() {
    }

    /** Logs {@link #warning} at WARN, once per distinct line in this process. */
    public static void warnOnce(String source, Policy policy) {
        warning(source, policy).filter(WARNED::add).ifPresent(LOG::warn);
    }

    /** {@code profile SOURCE allows io_uring_setup, whose ops A, B bypass its rules for a, b}, if so. */
    static Optional<String> warning(String source, Policy policy) {
        if (!mayAllow(policy, "io_uring_setup")) {
            return Optional.empty();
        }
        Set<String> ops = new TreeSet<>();
        Set<String> calls = new TreeSet<>();
        for (Map.Entry<String, List<String>> op : IoUringOps.SYSCALLS.entrySet()) {
            List<String> restricted = op.getValue().stream().filter(call -> mayRestrict(policy, call)).toList();
            if (restricted.size() == op.getValue().size()) {
                ops.add(op.getKey());
                calls.addAll(restricted);
            }
        }
        if (ops.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("profile " + source + " allows io_uring_setup, whose ops " + String.join(", ", ops)
                + " bypass its rules for " + String.join(", ", calls));
    }

    /** Some call of {@code name} is allowed: no argument-free rule stops it, and a rule or the default lets it run. */
    static boolean mayAllow(Policy policy, String name) {
        List<Rule> rules = rulesFor(policy, name);
        if (rules.stream().anyMatch(r -> r.conditions().isEmpty() && !lets(r.action()))) {
            return false;
        }
        return rules.stream().anyMatch(r -> lets(r.action())) || lets(policy.defaultAction());
    }

    /** Some call of {@code name} is denied, killed, trapped or notified: by a rule, or by the default. */
    static boolean mayRestrict(Policy policy, String name) {
        List<Rule> rules = rulesFor(policy, name);
        if (rules.stream().anyMatch(r -> !lets(r.action()))) {
            return true;
        }
        return rules.stream().noneMatch(r -> r.conditions().isEmpty()) && !lets(policy.defaultAction());
    }

    private static List<Rule> rulesFor(Policy policy, String name) {
        return policy.rules().stream().filter(r -> r.syscall().equals(name)).toList();
    }

    /** ALLOW and LOG run the call; everything else stops it or hands it to someone else. */
    private static boolean lets(Action action) {
        return action.kind() == Action.Kind.ALLOW || action.kind() == Action.Kind.LOG;
    }
}
