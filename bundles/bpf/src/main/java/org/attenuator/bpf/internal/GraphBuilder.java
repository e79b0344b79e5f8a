package org.attenuator.bpf.internal;

import static org.attenuator.bpf.Instruction.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SeccompData;

/**
 * The program's shape: load arch and dispatch to one section per audit arch (unknown arches get
 * the bad-arch action); a section loads nr and finds the system call, by binary search over
 * ranges of numbers that share a decision ({@code tree}) or by testing each number in turn.
 * x86_64 and x32 share a section, split on the x32 bit.
 */
final class GraphBuilder {

    private static final long NR_MAX = 0xffffffffL;
    private static final long X32_FIRST = Arch.X32_SYSCALL_BIT;

    /** One range of system call numbers that share a decision, from {@code first} up to the next range. */
    private record Segment(long first, Node decision) {
    }

    private final NodeFactory nodes;
    private final Action defaultAction;
    private final Action badArchAction;
    private final boolean tree;

    GraphBuilder(NodeFactory nodes, Action defaultAction, Action badArchAction, boolean tree) {
        this.nodes = nodes;
        this.defaultAction = defaultAction;
        this.badArchAction = badArchAction;
        this.tree = tree;
    }

    /** @param sections per covered arch, the decision code of each system call number with rules */
    Node build(Map<Arch, NavigableMap<Long, Node>> sections) {
        Map<Integer, List<Arch>> byAuditArch = new LinkedHashMap<>();
        sections.keySet().forEach(a -> byAuditArch.computeIfAbsent(a.auditArch(), x -> new ArrayList<>()).add(a));
        List<Integer> auditArches = new ArrayList<>(byAuditArch.keySet());
        Node next = nodes.ret(badArchAction);
        for (int i = auditArches.size() - 1; i >= 0; i--) {
            int auditArch = auditArches.get(i);
            next = nodes.jump(JEQ, auditArch, section(auditArch, sections), next);
        }
        return nodes.load(SeccompData.OFFSET_ARCH, next);
    }

    private Node section(int auditArch, Map<Arch, NavigableMap<Long, Node>> sections) {
        if (auditArch != Arch.X86_64.auditArch()) {
            Arch arch = sections.keySet().stream().filter(a -> a.auditArch() == auditArch).findFirst().orElseThrow();
            return nodes.load(SeccompData.OFFSET_NR, dispatch(sections.get(arch), 0, NR_MAX));
        }
        Node native64 = sections.containsKey(Arch.X86_64)
                ? dispatch(sections.get(Arch.X86_64), 0, X32_FIRST - 1) : nodes.ret(badArchAction);
        // nr -1 is how a tracer skips a call; like libseccomp, it then gets the default action
        Node x32 = sections.containsKey(Arch.X32) ? dispatch(sections.get(Arch.X32), X32_FIRST, NR_MAX)
                : nodes.jump(JEQ, -1, nodes.ret(defaultAction), nodes.ret(badArchAction));
        return nodes.load(SeccompData.OFFSET_NR, nodes.jump(JGE, (int) X32_FIRST, x32, native64));
    }

    private Node dispatch(NavigableMap<Long, Node> decisions, long low, long high) {
        NavigableMap<Long, Node> inRange = decisions.subMap(low, true, high, true);
        if (!tree) {
            return linear(inRange);
        }
        Segment[] segments = segments(inRange, low, high);
        return search(segments, 0, segments.length);
    }

    private Node linear(NavigableMap<Long, Node> decisions) {
        Node next = nodes.ret(defaultAction);
        for (Map.Entry<Long, Node> e : decisions.descendingMap().entrySet()) {
            next = nodes.jump(JEQ, e.getKey().intValue(), e.getValue(), next);
        }
        return next;
    }

    /** Splits [low, high] into maximal ranges with one decision; numbers without rules get the default. */
    private Segment[] segments(NavigableMap<Long, Node> decisions, long low, long high) {
        Node fallback = nodes.ret(defaultAction);
        List<Segment> list = new ArrayList<>();
        long expected = low;
        for (Map.Entry<Long, Node> e : decisions.entrySet()) {
            if (e.getKey() > expected) {
                add(list, expected, fallback);
            }
            add(list, e.getKey(), e.getValue());
            expected = e.getKey() + 1;
        }
        if (expected <= high) {
            add(list, expected, fallback);
        }
        return list.toArray(new Segment[0]);
    }

    private static void add(List<Segment> list, long first, Node decision) {
        if (list.isEmpty() || list.get(list.size() - 1).decision() != decision) {
            list.add(new Segment(first, decision));
        }
    }

    /** Balanced binary search over segments [from, to): {@code nr >= first of the middle one}. */
    private Node search(Segment[] segments, int from, int to) {
        if (to - from == 1) {
            return segments[from].decision();
        }
        int middle = (from + to) >>> 1;
        return nodes.jump(JGE, (int) segments[middle].first(), search(segments, middle, to), search(segments, from, middle));
    }
}
