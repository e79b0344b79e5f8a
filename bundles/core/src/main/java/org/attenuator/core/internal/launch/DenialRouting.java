package org.attenuator.core.internal.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.spi.RoutedDenials;

/**
 * Turns a supervised filter's denials (ERRNO, KILL_PROCESS, KILL_THREAD: rules and the default)
 * into SCMP_ACT_NOTIFY, so that the supervisor sees and logs them, conditions kept as written. The
 * kernel picks the most restrictive matching rule, and USER_NOTIF still beats ALLOW, LOG and TRACE:
 * a call is notified exactly when the original filter denied it or notified it, and every other
 * call gets the original action. TRAP stays in the kernel (only the kernel can raise the SIGSYS a
 * handler in the target expects, with the call in its siginfo).
 *
 * <p>A syscall is routed only if every routed call of it gets one answer (its deny rules share one
 * action, and the default, when it can reach it, is the same): a fallback that knows only numbers
 * (the keeper) can then answer it exactly. Otherwise its rules stay in the kernel, unlogged.
 * Syscalls the tree notifies for its own decisions are left as they are.
 *
 * @param filter the filter to install
 * @param kernelFilter the filter the kernel would have run (the supervisor answers as it would)
 * @param answers the one answer of each routed syscall name
 * @param otherwise the default's answer when the default is routed
 * @param notified the syscalls the tree notifies for its own decisions
 */
record DenialRouting(Policy filter, Policy kernelFilter, Map<String, Decision> answers, Optional<Decision> otherwise,
        Set<String> notified) {

    static DenialRouting of(Policy original, Set<String> notified) {
        Action def = original.defaultAction();
        boolean defaultRouted = RoutedDenials.routes(def);
        Map<String, List<Rule>> bySyscall = new LinkedHashMap<>();
        original.rules().forEach(r -> bySyscall.computeIfAbsent(r.syscall(), k -> new ArrayList<>()).add(r));
        Set<String> routedNames = new LinkedHashSet<>();
        Map<String, Decision> answers = new LinkedHashMap<>();
        bySyscall.forEach((name, rules) -> {
            if (notified.contains(name)) {
                return;
            }
            Set<Action> verdicts = new LinkedHashSet<>();
            rules.stream().map(Rule::action).filter(RoutedDenials::routes).forEach(verdicts::add);
            boolean defaultReaches = defaultRouted && rules.stream().noneMatch(Rule::isUnconditional);
            if (verdicts.size() <= 1 && defaultReaches) {
                verdicts.add(def);
            }
            if (verdicts.size() == 1) {
                routedNames.add(name);
                answers.put(name, RoutedDenials.decisionOf(verdicts.iterator().next()));
            } else if (defaultReaches) {
                answers.put(name, RoutedDenials.decisionOf(def)); // its own denials stay in the kernel
            }
        });
        List<Rule> rules = new ArrayList<>();
        for (Rule r : original.rules()) {
            rules.add(routedNames.contains(r.syscall()) && RoutedDenials.routes(r.action())
                    ? new Rule(r.syscall(), Action.USER_NOTIF, r.conditions(), r.origin()) : r);
        }
        Policy filter = new Policy(defaultRouted ? Action.USER_NOTIF : def, original.arches(), rules);
        return new DenialRouting(filter, original, answers,
                Optional.ofNullable(defaultRouted ? RoutedDenials.decisionOf(def) : null), notified);
    }
}
