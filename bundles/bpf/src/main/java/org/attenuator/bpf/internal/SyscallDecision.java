package org.attenuator.bpf.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Op;
import org.attenuator.bpf.Rule;

/**
 * The IR of one system call on one architecture: matchers tried in order, the first that matches
 * decides, otherwise {@code fallthrough}. {@link #of} runs the rule passes that turn the policy's
 * rules (most restrictive matching wins) into that first-match form.
 */
record SyscallDecision(List<Matcher> matchers, Action fallthrough) {

    /** Part of a decision: a rule (all conditions), or several equality rules on one argument. */
    sealed interface Matcher permits Conjunction, EqualitySwitch {
    }

    record Conjunction(Action action, List<Condition> conditions) implements Matcher {
    }

    /** {@code arg == values[i] -> actions[i]}; the values are distinct. */
    record EqualitySwitch(int argIndex, List<Long> values, List<Action> actions) implements Matcher {
    }

    boolean dependsOnArguments() {
        return !matchers.isEmpty();
    }

    /**
     * Rule passes: order by restrictiveness (stable, so equal actions keep profile order); stop at
     * the first unconditional rule, whose action becomes the fallthrough; drop trailing rules whose
     * action is the fallthrough anyway; with {@code optimize}, fold runs of single equality tests
     * on one argument into a switch.
     */
    static SyscallDecision of(List<Rule> rules, Action defaultAction, boolean optimize) {
        List<Rule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparing(Rule::action, SyscallDecision::byRestrictiveness));
        Action fallthrough = defaultAction;
        List<Rule> conditional = new ArrayList<>();
        for (Rule rule : ordered) {
            if (rule.isUnconditional()) {
                fallthrough = rule.action();
                break;
            }
            conditional.add(rule);
        }
        while (!conditional.isEmpty() && conditional.get(conditional.size() - 1).action().equals(fallthrough)) {
            conditional.remove(conditional.size() - 1);
        }
        List<Matcher> matchers = optimize ? foldEqualities(conditional) : asConjunctions(conditional);
        return new SyscallDecision(List.copyOf(matchers), fallthrough);
    }

    private static int byRestrictiveness(Action a, Action b) {
        return a.isMoreRestrictiveThan(b) ? -1 : b.isMoreRestrictiveThan(a) ? 1 : 0;
    }

    private static List<Matcher> asConjunctions(List<Rule> rules) {
        List<Matcher> out = new ArrayList<>();
        rules.forEach(r -> out.add(new Conjunction(r.action(), r.conditions())));
        return out;
    }

    private static List<Matcher> foldEqualities(List<Rule> rules) {
        List<Matcher> out = new ArrayList<>();
        int i = 0;
        while (i < rules.size()) {
            int end = i;
            List<Long> values = new ArrayList<>();
            List<Action> actions = new ArrayList<>();
            while (end < rules.size() && isSingleEquality(rules.get(end), rules.get(i))) {
                long value = rules.get(end).conditions().get(0).value();
                if (!values.contains(value)) {  // an earlier rule for the same value wins
                    values.add(value);
                    actions.add(rules.get(end).action());
                }
                end++;
            }
            if (end - i >= 2) {
                out.add(new EqualitySwitch(rules.get(i).conditions().get(0).argIndex(), values, actions));
                i = end;
            } else {
                out.add(new Conjunction(rules.get(i).action(), rules.get(i).conditions()));
                i++;
            }
        }
        return out;
    }

    private static boolean isSingleEquality(Rule rule, Rule first) {
        return isSingleEquality(rule) && isSingleEquality(first)
                && rule.conditions().get(0).argIndex() == first.conditions().get(0).argIndex();
    }

    private static boolean isSingleEquality(Rule rule) {
        return rule.conditions().size() == 1 && rule.conditions().get(0).op() == Op.EQ;
    }
}
