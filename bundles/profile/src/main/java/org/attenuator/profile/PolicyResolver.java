package org.attenuator.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Op;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;
import org.attenuator.profile.internal.IoUringBypass;
import org.attenuator.profile.internal.KernelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a profile the way runc and Docker do: picks the architectures, drops entries whose
 * includes / excludes do not hold for the native architecture, the capability set and the
 * kernel, maps actions and errnos, and turns each name into a {@link Rule}. Two conditions on
 * the same argument in one entry are alternatives (one rule each), as in runc. System calls
 * named in {@code attenuator.notify} go to the supervisor whatever their entries say.
 */
public final class PolicyResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyResolver.class);
    private static final int DEFAULT_ERRNO = Errno.EPERM;

    private PolicyResolver() {
    }

    /** {@link #resolve(Profile, ResolveOptions, String)} for a profile without a name to warn with. */
    public static Policy resolve(Profile profile, ResolveOptions options) throws CompileException {
        return resolve(profile, options, "(unnamed)");
    }

    /**
     * The policy; if it allows io_uring_setup while denying or notifying calls that io_uring ops
     * perform (which then bypass those rules), one WARN line naming {@code source} (a file or a
     * built-in name), once per process: compile, run and the agent all resolve here.
     *
     * @since 0.2.0
     */
    public static Policy resolve(Profile profile, ResolveOptions options, String source) throws CompileException {
        Policy policy = resolveQuietly(profile, options);
        IoUringBypass.warnOnce(source, policy);
        return policy;
    }

    private static Policy resolveQuietly(Profile profile, ResolveOptions options) throws CompileException {
        List<Arch> arches = arches(profile, options);
        Arch nativeArch = arches.get(0);
        KernelVersion kernel = KernelVersion.parse(options.kernelVersion());
        Set<String> notified = new HashSet<>(profile.attenuator() == null ? List.of() : profile.attenuator().notifiedSyscalls());
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < profile.syscalls().size(); i++) {
            SyscallEntry entry = profile.syscalls().get(i);
            String path = "syscalls[" + i + "]";
            if (applies(entry, nativeArch, options.capabilities(), kernel, path)) {
                Action action = action(entry.action(), entry.errnoRet(), path);
                List<String> names = entry.allNames();
                for (int j = 0; j < names.size(); j++) {
                    if (!notified.contains(names.get(j))) {
                        String origin = j < entry.names().size() ? path + ".names[" + j + "]" : path + ".name";
                        addRules(rules, names.get(j), action, entry.args(), origin);
                    }
                }
            }
        }
        List<String> notify = new ArrayList<>(notified);
        notify.sort(null);
        for (String name : notify) {
            int k = profile.attenuator().notifiedSyscalls().indexOf(name);
            rules.add(new Rule(name, Action.USER_NOTIF, List.of(), "attenuator.notify[" + k + "]"));
        }
        Action defaultAction = action(profile.defaultAction(), profile.defaultErrnoRet(), "defaultAction");
        return new Policy(defaultAction, arches, rules);
    }

    private static List<Arch> arches(Profile profile, ResolveOptions options) throws CompileException {
        if (!options.arches().isEmpty()) {
            return options.arches();
        }
        List<Arch> arches = new ArrayList<>();
        if (!profile.architectures().isEmpty()) {
            for (int i = 0; i < profile.architectures().size(); i++) {
                arches.add(supported(profile.architectures().get(i), "architectures[" + i + "]"));
            }
            return List.copyOf(new LinkedHashSet<>(arches));
        }
        Arch host = Arch.host().orElseThrow(() -> new CompileException(Reason.UNKNOWN_ARCHITECTURE, "",
                "this machine's architecture " + System.getProperty("os.arch") + " has no syscall table; use --arch"));
        arches.add(host);
        profile.archMap().stream().filter(m -> m.architecture().equals(host.scmpName())).findFirst()
                .ifPresent(m -> m.subArchitectures().forEach(sub -> addIfSupported(arches, sub)));
        return List.copyOf(new LinkedHashSet<>(arches));
    }

    private static Arch supported(String scmpName, String path) throws CompileException {
        return Arch.fromScmpName(scmpName).orElseThrow(() -> new CompileException(Reason.UNKNOWN_ARCHITECTURE, path,
                "no syscall table for " + scmpName + " (we have " + List.of(Arch.values()) + ")"));
    }

    /** A sub-architecture without a table is left out: its calls then get the bad-arch action, stricter than the profile. */
    private static void addIfSupported(List<Arch> arches, String scmpName) {
        Optional<Arch> arch = Arch.fromScmpName(scmpName);
        if (arch.isPresent()) {
            arches.add(arch.get());
        } else {
            LOG.warn("archMap: no syscall table for {}; its system calls will get the bad-arch action", scmpName);
        }
    }

    private static boolean applies(SyscallEntry e, Arch nativeArch, Set<String> caps, KernelVersion kernel,
            String path) throws CompileException {
        Filter in = e.includes();
        Filter out = e.excludes();
        if (!in.arches().isEmpty() && !matchesArch(in.arches(), nativeArch)) {
            return false;
        }
        if (!caps.containsAll(in.caps())) {
            return false;
        }
        if (in.minKernel() != null && kernel.isOlderThan(minKernel(in.minKernel(), path + ".includes.minKernel"))) {
            return false;
        }
        if (matchesArch(out.arches(), nativeArch) || out.caps().stream().anyMatch(caps::contains)) {
            return false;
        }
        return out.minKernel() == null || kernel.isOlderThan(minKernel(out.minKernel(), path + ".excludes.minKernel"));
    }

    private static KernelVersion minKernel(String text, String path) throws CompileException {
        try {
            return KernelVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CompileException(Reason.INVALID_VALUE, path, "not a kernel version: \"" + text + "\"");
        }
    }

    /** Docker compares with GOARCH names; "x86" is accepted for 386 as libseccomp spells it. */
    private static boolean matchesArch(List<String> names, Arch arch) {
        return names.contains(arch.goArch()) || (arch == Arch.X86 && names.contains("x86"));
    }

    static Action action(String name, Integer errnoRet, String path) throws CompileException {
        Action.Kind kind = Action.Kind.fromScmpName(name).orElseThrow(
                () -> new CompileException(Reason.UNKNOWN_ACTION, path, "unknown action \"" + name + "\""));
        if (errnoRet != null && !(kind == Action.Kind.ERRNO || kind == Action.Kind.TRACE)) {
            throw new CompileException(Reason.INVALID_VALUE, path, "errnoRet is only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
        }
        boolean takesErrno = kind == Action.Kind.ERRNO || kind == Action.Kind.TRACE;
        return new Action(kind, takesErrno ? (errnoRet == null ? DEFAULT_ERRNO : errnoRet) : 0);
    }

    private static void addRules(List<Rule> rules, String name, Action action, List<ArgEntry> args, String origin) {
        List<Condition> conditions = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        boolean sameIndexTwice = false;
        for (ArgEntry a : args) {
            conditions.add(new Condition(a.index(), Op.fromScmpName(a.op()).orElseThrow(), a.value(), a.valueTwo()));
            sameIndexTwice |= !indexes.add(a.index());
        }
        if (sameIndexTwice) {
            conditions.forEach(c -> rules.add(new Rule(name, action, List.of(c), origin)));
        } else {
            rules.add(new Rule(name, action, conditions, origin));
        }
    }
}
