package org.attenuator.plugin.fallback.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.spi.RoutedDenials;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.linux.Errno;

/**
 * A tree's fallback table: what the keeper answers, per syscall number and by default, when the
 * supervisor is gone. Written in the keeper's syntax by {@link #keeperSpec()}
 * ({@code default=errno:1,59=allow}; actions {@code allow}, {@code errno:N}, {@code kill}).
 *
 * <p>The text form users write (the tree property {@code fallback}, {@code --fallback}, the
 * configuration): items separated by commas; a bare action is the default; {@code NAME=ACTION}
 * sets one syscall (x86_64 name or number; {@code default=ACTION} too); the item {@code policy}
 * starts from the table derived from the tree's policy. Actions: {@code allow}, {@code kill},
 * {@code errno:NAME} or {@code errno:N}. ENOSYS is refused as a default: it is exactly what the
 * keeper exists to prevent.
 *
 * @param defaultAction the default, in keeper syntax
 * @param rules syscall number -> action, in keeper syntax
 */
record FallbackSpec(String defaultAction, Map<Integer, String> rules) {

    /** The keeper's limit on rules per tree. */
    static final int MAX_RULES = 256;
    private static final int ENOSYS = 38;
    private static final SyscallTable X86_64 = SyscallTable.of(Arch.X86_64);

    FallbackSpec {
        rules = Map.copyOf(rules);
    }

    static FallbackSpec of(String defaultAction) {
        return new FallbackSpec(defaultAction, Map.of());
    }

    /** The keeper's {@code default=...[,nr=...]} form, rules in syscall-number order. */
    String keeperSpec() {
        StringBuilder b = new StringBuilder("default=").append(defaultAction);
        rules.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(',').append(e.getKey()).append('=').append(e.getValue()));
        return b.toString();
    }

    /**
     * Parses the user's form over {@code base} (the global default) and, for the item
     * {@code policy}, the table derived from {@code policy}.
     *
     * @throws IllegalArgumentException naming the item that is wrong
     */
    static FallbackSpec parse(String text, FallbackSpec base, TreePolicy policy) {
        String def = base.defaultAction();
        Map<Integer, String> rules = new LinkedHashMap<>(base.rules());
        for (String raw : text.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty item in fallback '" + text + "'");
            }
            if (item.equals("policy")) {
                if (policy == null) {
                    throw new IllegalArgumentException("'policy' names a tree's policy: use it per tree, or set fromPolicy");
                }
                FallbackSpec derived = fromPolicy(policy, def);
                def = derived.defaultAction();
                rules.putAll(derived.rules());
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0 || item.substring(0, eq).equals("default")) {
                def = action(eq < 0 ? item : item.substring(eq + 1));
                if (def.equals("errno:" + ENOSYS)) {
                    throw new IllegalArgumentException("ENOSYS is not a fallback: the workload must never see it");
                }
                continue;
            }
            rules.put(syscall(item.substring(0, eq)), action(item.substring(eq + 1)));
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("more than " + MAX_RULES + " syscalls in fallback '" + text + "'");
        }
        return new FallbackSpec(def, rules);
    }

    /**
     * The table a policy implies: its run-phase decisions by syscall (allow, deny -> errno, kill;
     * a {@code respond} has no keeper form and falls to the default) and its undecided decision
     * as the default (unless that is a respond: then {@code fallbackDefault}). Init-phase and
     * per-executable decisions are left out (the keeper does not know phases or programs).
     */
    static FallbackSpec fromPolicy(TreePolicy policy, String fallbackDefault) {
        String def = keeperAction(policy.undecided());
        if (def == null) {
            def = fallbackDefault;
        }
        Map<Integer, String> rules = new LinkedHashMap<>();
        for (Map.Entry<String, Decision> e : policy.decisions().entrySet()) {
            String act = keeperAction(e.getValue());
            OptionalInt nr = X86_64.number(e.getKey());
            if (act != null && !act.equals(def) && nr.isPresent() && rules.size() < MAX_RULES) {
                rules.put(nr.getAsInt(), act);
            }
        }
        return new FallbackSpec(def, rules);
    }

    /**
     * This table for a tree whose profile's denials are routed through the supervisor (the
     * deny-log): each routed syscall gets the profile's own answer, whatever this table said for it,
     * so a dead supervisor never turns a denial into allow. The default becomes the profile's
     * default answer when that is routed, else this default unless it is {@code allow}, then
     * {@code errno:1}: the keeper's rules match only this machine's own ABI, and a routed call of
     * another ABI (i386 or x32 under a profile that covers them) gets the default. The tree's own
     * notified syscalls keep this table's default as a rule. Routed rules come first: past
     * {@link #MAX_RULES} the rest fall to the default, which denies.
     */
    FallbackSpec withRouted(RoutedDenials routed) {
        String keeperDefault = routed.otherwise().map(FallbackSpec::denyingAction)
                .orElse(defaultAction.equals("allow") ? "errno:1" : defaultAction);
        Map<Integer, String> table = new LinkedHashMap<>();
        routed.answers().forEach((name, d) -> X86_64.number(name).ifPresent(nr -> table.put(nr, denyingAction(d))));
        rules.forEach(table::putIfAbsent);
        if (!keeperDefault.equals(defaultAction)) {
            routed.notified().forEach(name -> X86_64.number(name).ifPresent(nr -> table.putIfAbsent(nr, defaultAction)));
        }
        Map<Integer, String> kept = new LinkedHashMap<>();
        table.entrySet().stream().limit(MAX_RULES).forEach(e -> kept.put(e.getKey(), e.getValue()));
        return new FallbackSpec(keeperDefault, kept);
    }

    /** A routed denial's keeper action; ERRNO(0) (a respond(0), which the keeper cannot give) fails with EPERM. */
    private static String denyingAction(Decision d) {
        String a = keeperAction(d);
        return a == null || a.equals("allow") ? "errno:1" : a;
    }

    /** allow | errno:N | kill for a decision, or null for one the keeper cannot give. */
    private static String keeperAction(Decision d) {
        return switch (d.kind()) {
            case ALLOW -> "allow";
            case DENY -> d.errno() >= 1 && d.errno() <= 4095 ? "errno:" + d.errno() : null;
            case KILL -> "kill";
            case RESPOND, PASS -> null;
        };
    }

    /** A user action (errno by name or number) in keeper syntax. */
    static String action(String text) {
        if (text.equals("allow") || text.equals("kill")) {
            return text;
        }
        if (text.startsWith("errno:")) {
            String name = text.substring("errno:".length());
            int n = name.chars().allMatch(Character::isDigit) && !name.isEmpty() ? Integer.parseInt(name)
                    : Errno.fromName(name);
            if (n >= 1 && n <= 4095) {
                return "errno:" + n;
            }
        }
        throw new IllegalArgumentException("not a fallback action (allow, kill, errno:NAME): '" + text + "'");
    }

    private static int syscall(String name) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(name);
        }
        return X86_64.number(name).orElseThrow(() -> new IllegalArgumentException("no x86_64 syscall '" + name + "'"));
    }
}
