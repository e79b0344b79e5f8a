package org.attenuator.bpf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Seeded generator of policies and of calls that probe them. Rules of one system call either
 * share an action or are disjoint (equality on distinct values of one argument), the cases where
 * libseccomp's result does not depend on its internal tree order; rules that share an action test
 * disjoint arguments, so each can be reached with the others failing.
 */
public final class RandomPolicies {

    static final long[] EDGES = {0, 1, 2, 1L << 31, (1L << 32) - 1, 1L << 32, Long.MIN_VALUE, -1L};
    private static final Arch[] X86_FAMILY = {Arch.X86_64, Arch.X32, Arch.X86};
    /**
     * On i386 libseccomp also turns rules for these into rules for the socketcall(2) and ipc(2)
     * multiplexers, which we do not (yet); they are left out so the differential stays exact.
     */
    private static final Set<String> MULTIPLEXED_ON_I386 = Set.of("socket", "bind", "connect", "listen", "accept",
            "getsockname", "getpeername", "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt",
            "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg", "socketcall", "semop", "semget",
            "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl", "ipc");

    private final Random random;
    /** Whether some rules hold on some architectures only (libseccomp, the differential oracle, has no such rules). */
    private final boolean someRulesForSomeArches;

    /**
     * False for the calls Linux added after 6.1 (numbers above 450, x86_64's uretprobe, riscv's
     * riscv_hwprobe): the oracle, libseccomp 2.5.4, does not know them, so differential tests
     * leave them out.
     */
    public static boolean knownToLibseccomp(String name) {
        return SyscallTable.of(Arch.X86_64).number(name).orElse(0) <= 450
                && !name.equals("uretprobe") && !name.equals("riscv_hwprobe");
    }

    public RandomPolicies(long seed) {
        this(seed, false);
    }

    /** With {@code someRulesForSomeArches}, one rule in four gets {@link Rule#arches()}. */
    public RandomPolicies(long seed, boolean someRulesForSomeArches) {
        this.random = new Random(seed);
        this.someRulesForSomeArches = someRulesForSomeArches;
    }

    public Policy next() {
        List<Arch> arches = new ArrayList<>(List.of(X86_FAMILY));
        Collections.shuffle(arches, random);
        arches = arches.subList(0, 1 + random.nextInt(arches.size()));
        List<String> names = new ArrayList<>(SyscallTable.of(Arch.X86_64).names());
        names.addAll(List.of("chown32", "waitpid"));  // i386 only
        names.removeAll(MULTIPLEXED_ON_I386);
        names.removeIf(name -> !knownToLibseccomp(name));
        Collections.shuffle(names, random);
        List<Rule> rules = new ArrayList<>();
        int count = 5 + random.nextInt(60);
        for (String name : names.subList(0, count)) {
            switch (random.nextInt(3)) {
                case 0: rules.add(new Rule(name, action())); break;
                case 1: sameAction(name, rules); break;
                default: disjointEqualities(name, rules); break;
            }
        }
        return new Policy(action(), arches, rules.stream().map(this::maybeForSomeArches).toList());
    }

    /** One rule in four holds on a random subset of the x86 family only, when asked for. */
    private Rule maybeForSomeArches(Rule rule) {
        if (!someRulesForSomeArches || random.nextInt(4) != 0) {
            return rule;
        }
        Set<Arch> some = new LinkedHashSet<>();
        for (Arch a : X86_FAMILY) {
            if (random.nextBoolean()) {
                some.add(a);
            }
        }
        return some.isEmpty() ? rule : new Rule(rule.syscall(), rule.action(), rule.conditions(), rule.origin(), some);
    }

    private void sameAction(String name, List<Rule> rules) {
        Action action = action();
        List<Integer> indexes = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        Collections.shuffle(indexes, random);
        int next = 0;
        for (int r = 1 + random.nextInt(3); r > 0; r--) {
            List<Condition> conditions = new ArrayList<>();
            for (int c = 1 + random.nextInt(2); c > 0; c--) {
                Op op = Op.values()[random.nextInt(Op.values().length)];
                long value = value();
                long valueTwo = op == Op.MASKED_EQ ? value() & value : 0;
                conditions.add(new Condition(indexes.get(next++), op, value, valueTwo));
            }
            rules.add(new Rule(name, action, conditions, ""));
        }
    }

    private void disjointEqualities(String name, List<Rule> rules) {
        int index = random.nextInt(6);
        Set<Long> lowWords = new LinkedHashSet<>();  // distinct where only low words are compared, too
        for (int r = 2 + random.nextInt(4); r > 0; r--) {
            long v = value();
            if (lowWords.add(v & 0xffffffffL)) {
                rules.add(new Rule(name, action(), new Condition(index, Op.EQ, v)));
            }
        }
    }

    long value() {
        switch (random.nextInt(4)) {
            case 0: return EDGES[random.nextInt(EDGES.length)];
            case 1: return random.nextInt(64);
            case 2: return random.nextInt() & 0xffffffffL;
            default: return random.nextLong();
        }
    }

    Action action() {
        switch (random.nextInt(8)) {
            case 0: return Action.KILL_PROCESS;
            case 1: return Action.KILL_THREAD;
            case 2: return Action.trap(0);
            case 3: return Action.errno(1 + random.nextInt(4095));
            case 4: return Action.USER_NOTIF;
            case 5: return Action.trace(random.nextInt(0x10000));
            case 6: return Action.LOG;
            default: return Action.ALLOW;
        }
    }

    /**
     * Calls that probe a policy on {@code abi}: every number up to the table's highest and some
     * beyond, with zero arguments; for each number with rules, arguments that satisfy one rule and
     * fail the others where they can, then each argument moved to the values around every
     * condition's, 0, all ones and random.
     */
    public List<SeccompData> calls(Policy policy, Arch abi) {
        List<SeccompData> calls = new ArrayList<>();
        int base = abi == Arch.X32 ? Arch.X32_SYSCALL_BIT : 0;
        Set<Integer> numbers = new LinkedHashSet<>();
        int highest = SyscallTable.of(abi).numbers().stream().max(Integer::compare).orElseThrow();
        for (int nr = base; nr <= highest + 1; nr++) {
            numbers.add(nr);
        }
        numbers.addAll(List.of(base + 1000, base + 0x3fffffff, -1, 0x40000000 + 5, 999_999));
        for (int nr : numbers) {
            calls.add(SeccompData.of(abi, nr));
            List<Rule> rules = policy.rulesFor(abi, nr).stream().map(r -> asSeenBy(abi, r)).collect(Collectors.toList());
            Set<Long> probes = new LinkedHashSet<>(List.of(0L, -1L, random.nextLong(), (long) random.nextInt()));
            rules.forEach(r -> r.conditions().forEach(c -> {
                for (long v : new long[] {c.value(), c.valueTwo()}) {
                    probes.add(v);
                    probes.add(v - 1);
                    probes.add(v + 1);
                    probes.add(v ^ (1L << 32));
                }
            }));
            for (Rule rule : rules) {
                long[] satisfying = new long[Condition.MAX_ARGS];
                rules.forEach(other -> other.conditions().forEach(c -> satisfying[c.argIndex()] = violating(c)));
                rule.conditions().forEach(c -> satisfying[c.argIndex()] = satisfying(c));
                calls.add(SeccompData.of(abi, nr, satisfying));
                for (Condition c : rule.conditions()) {
                    for (long probe : probes) {
                        long[] args = satisfying.clone();
                        args[c.argIndex()] = probe;
                        calls.add(SeccompData.of(abi, nr, args));
                    }
                }
            }
        }
        return calls;
    }

    /** Where rules compare low words only, the probes must be chosen for that. */
    private static Rule asSeenBy(Arch abi, Rule rule) {
        if (!abi.comparesLowWordOnly()) {
            return rule;
        }
        List<Condition> low = rule.conditions().stream().map(Condition::lowWord).collect(Collectors.toList());
        return new Rule(rule.syscall(), rule.action(), low, rule.origin(), rule.arches());
    }

    private static long satisfying(Condition c) {
        switch (c.op()) {
            case EQ: case LE: case GE: return c.value();
            case NE: case GT: return c.value() + 1;
            case LT: return c.value() - 1;
            default: return c.valueTwo();
        }
    }

    /** A value failing the condition where one exists (GE 0 holds for all). */
    private static long violating(Condition c) {
        switch (c.op()) {
            case EQ: case LE: return c.value() + 1;
            case NE: case GT: case LT: return c.value();
            case GE: return c.value() - 1;
            default: return c.valueTwo() ^ (Long.lowestOneBit(c.value()) == 0 ? 0 : Long.lowestOneBit(c.value()));
        }
    }
}
