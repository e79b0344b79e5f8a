package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.internal.SyscallDecision.Conjunction;
import org.attenuator.bpf.internal.SyscallDecision.EqualitySwitch;
import org.attenuator.bpf.internal.SyscallDecision.Matcher;

/** Code for one {@link SyscallDecision}: its matchers in order, each falling through to the next. */
final class DecisionCode {

    private final NodeFactory nodes;
    private final ConditionCode conditions;
    private final boolean lowWordOnly;

    DecisionCode(NodeFactory nodes, boolean lowWordOnly) {
        this.nodes = nodes;
        this.conditions = new ConditionCode(nodes, lowWordOnly);
        this.lowWordOnly = lowWordOnly;
    }

    Node emit(SyscallDecision decision) {
        Node next = nodes.ret(decision.fallthrough());
        List<Matcher> matchers = decision.matchers();
        for (int i = matchers.size() - 1; i >= 0; i--) {
            Matcher m = matchers.get(i);
            next = m instanceof Conjunction c ? conjunction(c, next) : equalitySwitch((EqualitySwitch) m, next);
        }
        return next;
    }

    private Node conjunction(Conjunction c, Node onMiss) {
        Node node = nodes.ret(c.action());
        List<Condition> conds = c.conditions();
        for (int i = conds.size() - 1; i >= 0; i--) {
            node = conditions.emit(conds.get(i), node, onMiss);
        }
        return node;
    }

    /** One load of the high word, a jump per distinct high word, then one load of the low word and a jump per value. */
    private Node equalitySwitch(EqualitySwitch s, Node onMiss) {
        Map<Integer, Map<Integer, Action>> byHigh = new LinkedHashMap<>();
        for (int i = 0; i < s.values().size(); i++) {
            long value = s.values().get(i);
            int high = lowWordOnly ? 0 : (int) (value >>> 32);
            byHigh.computeIfAbsent(high, h -> new LinkedHashMap<>()).putIfAbsent((int) value, s.actions().get(i));
        }
        int lowOffset = SeccompData.argLow(s.argIndex());
        if (lowWordOnly) {
            return nodes.load(lowOffset, lowChain(byHigh.get(0), onMiss));
        }
        Node next = onMiss;
        List<Integer> highs = new ArrayList<>(byHigh.keySet());
        for (int i = highs.size() - 1; i >= 0; i--) {
            Node low = nodes.load(lowOffset, lowChain(byHigh.get(highs.get(i)), onMiss));
            next = nodes.jump(JEQ, highs.get(i), low, next);
        }
        return nodes.load(SeccompData.argHigh(s.argIndex()), next);
    }

    private Node lowChain(Map<Integer, Action> cases, Node onMiss) {
        List<Map.Entry<Integer, Action>> list = new ArrayList<>(cases.entrySet());
        Node next = onMiss;
        for (int i = list.size() - 1; i >= 0; i--) {
            next = nodes.jump(JEQ, list.get(i).getKey(), nodes.ret(list.get(i).getValue()), next);
        }
        return next;
    }
}
