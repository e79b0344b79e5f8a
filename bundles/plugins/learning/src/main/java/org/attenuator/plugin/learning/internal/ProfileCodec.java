package org.attenuator.plugin.learning.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.Arch;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.profile.AttenuatorSettings;
import org.attenuator.profile.Errno;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/**
 * Learned syscalls to an OCI profile and back.
 *
 * <p>The profile: {@code defaultAction SCMP_ACT_ERRNO} with {@code defaultErrnoRet 1} (EPERM), the
 * learned architectures, and {@code SCMP_ACT_ALLOW} entries: one per set of architectures for the
 * syscalls learned without argument values (with {@code includes.arches} when a syscall was seen on
 * some architectures only), one per learned argument combination for the others. Syscalls seen only
 * before the apply point go to entries of their own, commented, and are listed in
 * {@code attenuator.learning.initOnly}. The counters live in {@code attenuator.learning}.
 */
final class ProfileCodec {

    static final String ALLOW = "SCMP_ACT_ALLOW";
    static final String INIT_ONLY_COMMENT = "init-only: seen only before the apply point";

    private ProfileCodec() {
    }

    static Optional<Arch> arch(String apiName) {
        return Arch.parse(apiName);
    }

    /** The ABI name {@link org.attenuator.api.Syscall#arch()} uses. */
    static String apiName(Arch arch) {
        return switch (arch) {
            case X86_64 -> "x86_64";
            case X86 -> "i386";
            case X32 -> "x32";
            case AARCH64 -> "aarch64";
        };
    }

    private record PlainGroup(EnumSet<Arch> arches, boolean initOnly) {
    }

    private record ArgGroup(String name, List<ArgMatch> args, boolean initOnly) {
    }

    static Profile toProfile(String key, Map<LearnedSyscall, Set<Phase>> syscalls, int runs, int runsWithoutChange,
            Instant updated) {
        return toProfile(key, syscalls, runs, runsWithoutChange, updated, EnumSet.noneOf(Arch.class));
    }

    /** {@link #toProfile} with {@code alsoArches} among the profile's architectures even where nothing was learned. */
    static Profile toProfile(String key, Map<LearnedSyscall, Set<Phase>> syscalls, int runs, int runsWithoutChange,
            Instant updated, Set<Arch> alsoArches) {
        Map<String, Boolean> initOnlyByArchName = initOnly(syscalls);
        EnumSet<Arch> all = EnumSet.noneOf(Arch.class);
        all.addAll(alsoArches);
        Map<PlainGroup, TreeSet<String>> plain = new LinkedHashMap<>();
        Map<ArgGroup, EnumSet<Arch>> withArgs = new TreeMap<>(ProfileCodec::compareArgGroups);
        Map<String, EnumSet<Arch>> plainArches = new TreeMap<>();
        for (LearnedSyscall s : syscalls.keySet()) {
            Optional<Arch> arch = arch(s.arch());
            if (arch.isEmpty()) {
                continue;
            }
            all.add(arch.get());
            boolean init = initOnlyByArchName.get(s.arch() + "/" + s.name());
            if (s.args().isEmpty()) {
                plainArches.computeIfAbsent(s.name() + (init ? "\0init" : ""), n -> EnumSet.noneOf(Arch.class))
                        .add(arch.get());
            } else {
                withArgs.computeIfAbsent(new ArgGroup(s.name(), s.args(), init), g -> EnumSet.noneOf(Arch.class))
                        .add(arch.get());
            }
        }
        if (all.isEmpty()) {
            Arch.host().ifPresent(all::add);
        }
        for (Map.Entry<String, EnumSet<Arch>> e : plainArches.entrySet()) {
            boolean init = e.getKey().endsWith("\0init");
            String name = init ? e.getKey().substring(0, e.getKey().length() - 5) : e.getKey();
            plain.computeIfAbsent(new PlainGroup(e.getValue(), init), g -> new TreeSet<>()).add(name);
        }
        List<SyscallEntry> entries = new ArrayList<>();
        plain.entrySet().stream()
                .sorted((a, b) -> compareGroups(a.getKey(), b.getKey(), all))
                .forEach(e -> entries.add(entry(List.copyOf(e.getValue()), List.of(), e.getKey().arches(), all,
                        e.getKey().initOnly())));
        withArgs.forEach((g, arches) -> entries.add(entry(List.of(g.name()), g.args(), arches, all, g.initOnly())));

        Map<String, Object> learning = new LinkedHashMap<>();
        learning.put("runs", runs);
        learning.put("runsWithoutChange", runsWithoutChange);
        learning.put("updated", updated.toString());
        Map<String, List<String>> initOnly = new TreeMap<>();
        initOnlyByArchName.forEach((archName, init) -> {
            if (init) {
                int slash = archName.indexOf('/');
                arch(archName.substring(0, slash)).ifPresent(a -> initOnly
                        .computeIfAbsent(a.scmpName(), k -> new ArrayList<>()).add(archName.substring(slash + 1)));
            }
        });
        initOnly.values().forEach(names -> names.sort(null));
        if (!initOnly.isEmpty()) {
            learning.put("initOnly", initOnly);
        }
        AttenuatorSettings settings = new AttenuatorSettings(List.of(), AttenuatorSettings.DEFAULT_UNDECIDED, List.of(),
                key, null, Map.of("learning", learning));
        return new Profile("SCMP_ACT_ERRNO", Errno.EPERM, all.stream().map(Arch::scmpName).toList(), List.of(),
                entries, List.of(), null, null, settings, Map.of());
    }

    /** Per {@code arch/name}: true when every learned variant of it was seen only before the apply point. */
    private static Map<String, Boolean> initOnly(Map<LearnedSyscall, Set<Phase>> syscalls) {
        Map<String, Boolean> result = new HashMap<>();
        syscalls.forEach((s, phases) -> {
            boolean init = !phases.isEmpty() && !phases.contains(Phase.RUN);
            result.merge(s.arch() + "/" + s.name(), init, Boolean::logicalAnd);
        });
        return result;
    }

    private static int compareGroups(PlainGroup a, PlainGroup b, EnumSet<Arch> all) {
        int c = Boolean.compare(a.initOnly(), b.initOnly());
        if (c == 0) {
            c = -Boolean.compare(a.arches().equals(all), b.arches().equals(all));
        }
        return c != 0 ? c : a.arches().toString().compareTo(b.arches().toString());
    }

    private static int compareArgGroups(ArgGroup a, ArgGroup b) {
        int c = Boolean.compare(a.initOnly(), b.initOnly());
        if (c == 0) {
            c = new LearnedSyscall("", a.name(), a.args()).compareTo(new LearnedSyscall("", b.name(), b.args()));
        }
        return c;
    }

    private static SyscallEntry entry(List<String> names, List<ArgMatch> args, EnumSet<Arch> arches, EnumSet<Arch> all,
            boolean initOnly) {
        return entry(names, ALLOW, null, args, arches, all, initOnly ? INIT_ONLY_COMMENT : null);
    }

    /** An entry for {@code arches} ({@code includes.arches} unless that is every one of {@code all}). */
    static SyscallEntry entry(List<String> names, String action, Integer errnoRet, List<ArgMatch> args,
            Set<Arch> arches, Set<Arch> all, String comment) {
        Filter includes = arches.equals(all) ? Filter.NONE
                : new Filter(arches.stream().sorted().map(Arch::goArch).toList(), List.of(), null, Map.of());
        List<ArgEntry> argEntries = args.stream()
                .map(a -> new ArgEntry(a.index(), a.value(), a.valueTwo(), a.op(), Map.of())).toList();
        return new SyscallEntry(names, null, action, errnoRet, argEntries, comment, includes, Filter.NONE, Map.of());
    }

    /** Reads a stored profile back; entries other than SCMP_ACT_ALLOW and unknown ops are ignored. */
    static LearnedProfile fromProfile(Profile p, Path file, String fallbackKey, Instant modified) {
        String key = p.attenuator() != null && p.attenuator().learningKey() != null ? p.attenuator().learningKey()
                : fallbackKey;
        Map<String, Object> learning = learning(p);
        Set<String> initOnly = initOnly(p);
        List<Arch> all = p.architectures().stream().map(Arch::fromScmpName).flatMap(Optional::stream).toList();
        Map<LearnedSyscall, Set<Phase>> syscalls = new TreeMap<>();
        for (SyscallEntry e : p.syscalls()) {
            if (!ALLOW.equals(e.action())) {
                continue;
            }
            List<Arch> arches = e.includes().arches().isEmpty() ? all
                    : e.includes().arches().stream().map(Arch::parse).flatMap(Optional::stream).toList();
            List<ArgMatch> args = new ArrayList<>();
            boolean usable = true;
            for (ArgEntry a : e.args()) {
                if (ArgMatch.EQ.equals(a.op()) || ArgMatch.MASKED_EQ.equals(a.op())) {
                    args.add(new ArgMatch(a.index(), a.value(), a.valueTwo(), a.op()));
                } else {
                    usable = false;
                }
            }
            if (!usable) {
                continue;
            }
            for (String name : e.allNames()) {
                for (Arch arch : arches) {
                    String api = apiName(arch);
                    Set<Phase> phases = initOnly.contains(api + "/" + name) ? EnumSet.of(Phase.INIT)
                            : EnumSet.of(Phase.RUN);
                    syscalls.merge(new LearnedSyscall(api, name, args), phases, (x, y) -> {
                        EnumSet<Phase> u = EnumSet.copyOf(x);
                        u.addAll(y);
                        return u;
                    });
                }
            }
        }
        Instant updated = modified;
        if (learning.get("updated") instanceof String s) {
            try {
                updated = Instant.parse(s);
            } catch (DateTimeParseException e) {
                // keep the file's time
            }
        }
        return new LearnedProfile(key, file, syscalls, number(learning.get("runs")),
                number(learning.get("runsWithoutChange")), updated, p);
    }

    /** {@code ABI/NAME} of every syscall {@code attenuator.learning.initOnly} lists. */
    static Set<String> initOnly(Profile p) {
        Set<String> initOnly = new java.util.HashSet<>();
        if (learning(p).get("initOnly") instanceof Map<?, ?> m) {
            m.forEach((arch, names) -> {
                Optional<Arch> a = Arch.fromScmpName(String.valueOf(arch));
                if (a.isPresent() && names instanceof List<?> list) {
                    list.forEach(n -> initOnly.add(apiName(a.get()) + "/" + n));
                }
            });
        }
        return initOnly;
    }

    private static Map<String, Object> learning(Profile p) {
        if (p.attenuator() != null && p.attenuator().otherFields().get("learning") instanceof Map<?, ?> m) {
            Map<String, Object> copy = new HashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        return Map.of();
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }
}
