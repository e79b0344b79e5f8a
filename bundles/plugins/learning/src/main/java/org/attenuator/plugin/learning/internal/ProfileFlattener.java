package org.attenuator.plugin.learning.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.Arch;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.ProfileRules;
import org.attenuator.plugin.learning.ProfileRules.Verdict;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/** OCI profiles to {@link ProfileRules} and back (see {@link ProfileRules#of} and {@link ProfileRules#toProfile}). */
public final class ProfileFlattener {

    private ProfileFlattener() {
    }

    public static ProfileRules flatten(Profile p, String source) {
        List<Arch> all = p.architectures().isEmpty() ? Arch.host().stream().toList()
                : p.architectures().stream().map(Arch::fromScmpName).flatMap(Optional::stream).toList();
        Set<String> initOnly = ProfileCodec.initOnly(p);
        Map<LearnedSyscall, Verdict> syscalls = new TreeMap<>();
        for (int i = 0; i < p.syscalls().size(); i++) {
            SyscallEntry e = p.syscalls().get(i);
            String where = source + ": syscalls[" + i + "] " + e.allNames();
            if (!e.includes().caps().isEmpty() || e.includes().minKernel() != null || !e.excludes().caps().isEmpty()
                    || e.excludes().minKernel() != null) {
                throw new IllegalArgumentException(where + ": conditions on capabilities or kernel versions are not "
                        + "compared by diff and merge");
            }
            for (List<ArgMatch> args : alternatives(e.args(), where)) {
                for (Arch arch : arches(e, all)) {
                    String abi = ProfileCodec.apiName(arch);
                    for (String name : e.allNames()) {
                        Set<Phase> phases = !Verdict.ALLOW.equals(e.action()) ? Set.of()
                                : EnumSet.of(initOnly.contains(abi + "/" + name) ? Phase.INIT : Phase.RUN);
                        add(syscalls, new LearnedSyscall(abi, name, args), new Verdict(e.action(), e.errnoRet(), phases),
                                where);
                    }
                }
            }
        }
        return new ProfileRules(source, new Verdict(p.defaultAction(), p.defaultErrnoRet(), Set.of()),
                all.stream().map(ProfileCodec::apiName).toList(), syscalls);
    }

    private static void add(Map<LearnedSyscall, Verdict> syscalls, LearnedSyscall s, Verdict v, String where) {
        Verdict before = syscalls.get(s);
        if (before == null) {
            syscalls.put(s, v);
        } else if (!before.sameAction(v)) {
            throw new IllegalArgumentException(where + ": " + s + " is also " + before.actionText() + " in an earlier "
                    + "entry; diff and merge need one action per syscall and argument values");
        } else {
            EnumSet<Phase> phases = EnumSet.noneOf(Phase.class);
            phases.addAll(before.phases());
            phases.addAll(v.phases());
            syscalls.put(s, new Verdict(v.action(), v.errnoRet(), phases));
        }
    }

    /** The entry's ABIs: {@code includes.arches} (or all of the profile's) without {@code excludes.arches}. */
    private static Set<Arch> arches(SyscallEntry e, List<Arch> all) {
        Set<Arch> arches = EnumSet.noneOf(Arch.class);
        if (e.includes().arches().isEmpty()) {
            arches.addAll(all);
        } else {
            e.includes().arches().stream().map(Arch::parse).flatMap(Optional::stream).filter(all::contains)
                    .forEach(arches::add);
        }
        e.excludes().arches().stream().map(Arch::parse).flatMap(Optional::stream).forEach(arches::remove);
        return arches;
    }

    /** One list of conditions, or one per condition when an index repeats (runc ORs those). */
    private static List<List<ArgMatch>> alternatives(List<ArgEntry> args, String where) {
        List<ArgMatch> matches = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        boolean sameIndexTwice = false;
        for (ArgEntry a : args) {
            if (!ArgMatch.EQ.equals(a.op()) && !ArgMatch.MASKED_EQ.equals(a.op())) {
                throw new IllegalArgumentException(where + ": " + a.op() + " on arg" + a.index() + ": diff and merge "
                        + "compare " + ArgMatch.EQ + " and " + ArgMatch.MASKED_EQ + " only");
            }
            matches.add(new ArgMatch(a.index(), a.value(), a.valueTwo(), a.op()));
            sameIndexTwice |= !indexes.add(a.index());
        }
        return sameIndexTwice ? matches.stream().map(List::of).toList() : List.of(matches);
    }

    public static Profile unflatten(ProfileRules rules, String key) {
        Set<Arch> all = EnumSet.noneOf(Arch.class);
        rules.architectures().stream().map(Arch::parse).flatMap(Optional::stream).forEach(all::add);
        Map<LearnedSyscall, Set<Phase>> allowed = new TreeMap<>();
        Map<List<Object>, Set<Arch>> others = new LinkedHashMap<>();
        rules.syscalls().forEach((s, v) -> {
            Optional<Arch> arch = Arch.parse(s.arch());
            if (arch.isEmpty()) {
                return;
            }
            all.add(arch.get());
            if (v.allows()) {
                allowed.put(s, v.phases().isEmpty() ? EnumSet.of(Phase.RUN) : v.phases());
            } else {
                others.computeIfAbsent(List.of(s.name(), s.args(), v), k -> EnumSet.noneOf(Arch.class)).add(arch.get());
            }
        });
        Profile learned = ProfileCodec.toProfile(key, allowed, 0, 0, Instant.now().truncatedTo(ChronoUnit.MILLIS), all);
        Set<Arch> written = EnumSet.noneOf(Arch.class);
        learned.architectures().stream().map(Arch::fromScmpName).flatMap(Optional::stream).forEach(written::add);
        List<SyscallEntry> entries = new ArrayList<>(learned.syscalls());
        others.forEach((k, arches) -> {
            Verdict v = (Verdict) k.get(2);
            @SuppressWarnings("unchecked")
            List<ArgMatch> args = (List<ArgMatch>) k.get(1);
            entries.add(ProfileCodec.entry(List.of((String) k.get(0)), v.action(), v.errnoRet(), args, arches, written,
                    null));
        });
        Verdict def = rules.defaultAction();
        return new Profile(def.action(), def.errnoRet(), learned.architectures(), List.of(), entries, List.of(), null,
                null, learned.attenuator(), Map.of());
    }
}
