package org.attenuator.core.internal.launch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.spi.TreePolicy;

/**
 * What one launch installs and who answers: the filter policy (execve and execveat notified in
 * supervised mode; in kernel-only mode execve only, when the profile does not allow it), the tree policy for the supervisor, and
 * whether the launch child announces a listener (supervised mode of attenuator-exec's request).
 *
 * @param filter the policy to compile
 * @param treePolicy the decisions of the notified syscalls when every handler passes; kernel-only:
 *     what the keeper answers for the target's execve (the profile's action)
 * @param controlled true when the launcher's exec is notified (request mode "supervised")
 * @param routing the profile's denials notified for the deny-log (supervised only), if asked
 */
public record LaunchPlan(Policy filter, TreePolicy treePolicy, boolean controlled, Optional<DenialRouting> routing) {

    LaunchPlan(Policy filter, TreePolicy treePolicy, boolean controlled) {
        this(filter, treePolicy, controlled, Optional.empty());
    }

    static final List<String> EXEC = List.of("execve", "execveat");
    /** The syscall attenuator-exec makes to start the target. */
    static final String LAUNCHER_EXEC = "execve";

    static LaunchPlan of(LaunchProfile profile, Mode mode) {
        return of(profile, mode, List.of());
    }

    /**
     * @param launchApplyPoint trigger syscalls besides the profile's own (supervised only): all are
     *     notified, so that the supervisor sees the first one, and decided as the profile decides them
     */
    static LaunchPlan of(LaunchProfile profile, Mode mode, List<String> launchApplyPoint) {
        return of(profile, mode, launchApplyPoint, false);
    }

    /**
     * @param routeDenials in supervised mode, notify the profile's denials so that the supervisor
     *     answers and logs them ({@link DenialRouting}); the tree policy then still lacks the
     *     {@link org.attenuator.core.spi.RoutedDenials} built from the compiled {@code routing().kernelFilter()}
     */
    static LaunchPlan of(LaunchProfile profile, Mode mode, List<String> launchApplyPoint, boolean routeDenials) {
        Policy p = profile.policy();
        Set<String> applyPoint = new LinkedHashSet<>(profile.applyPoint());
        applyPoint.addAll(launchApplyPoint);
        if (mode == Mode.KERNEL_ONLY) {
            // Nobody answers: what the profile notifies gets its undecided action in the kernel.
            Action undecided = Decisions.toAction(profile.undecided());
            List<Rule> rules = new ArrayList<>();
            for (Rule r : p.rules()) {
                rules.add(r.action().kind() == Action.Kind.USER_NOTIF
                        ? r.withAction(undecided) : r);
            }
            Action def = p.defaultAction().kind() == Action.Kind.USER_NOTIF ? undecided : p.defaultAction();
            Policy kernel = new Policy(def, p.arches(), rules);
            // The fork server execs with execve alone: only when the profile does not allow that must
            // the launcher's exec be answered. execveat keeps the profile's own action either way.
            if (unconditional(kernel, LAUNCHER_EXEC) == Action.Kind.ALLOW) {
                return new LaunchPlan(kernel, TreePolicy.DEFAULT, false);
            }
            // the launcher's exec is answered here; the target's later ones by the keeper, as the profile would
            TreePolicy keeperAnswers = TreePolicy.builder().name(profile.name()).undecided(profile.undecided())
                    .decide(LAUNCHER_EXEC, Decisions.of(profileExecAction(kernel), profile.undecided())).build();
            return new LaunchPlan(notifying(kernel, Set.of(LAUNCHER_EXEC)), keeperAnswers, true);
        }
        Set<String> notified = new LinkedHashSet<>(profile.notified());
        notified.addAll(EXEC);
        notified.addAll(applyPoint);
        // Init-only syscalls (with an apply point): notified, the profile's action before the trigger,
        // undecided from it on. Not those with argument conditions (the supervisor does not evaluate
        // them: they stay in the kernel as written), nor those already notified or triggers.
        Set<String> initOnly = new LinkedHashSet<>();
        if (!applyPoint.isEmpty()) {
            for (String s : profile.initOnly()) {
                Action a = kernelAction(p, s);
                if (!notified.contains(s) && a != null && a.kind() != Action.Kind.USER_NOTIF) {
                    initOnly.add(s);
                }
            }
            notified.addAll(initOnly);
        }
        TreePolicy.Builder tree = TreePolicy.builder().name(profile.name()).undecided(profile.undecided())
                .handlers(profile.handlers().orElse(null));
        if (!applyPoint.isEmpty()) {
            tree.applyPoint(applyPoint.toArray(String[]::new));
        }
        for (String s : notified) {
            Action a = kernelAction(p, s);
            if (initOnly.contains(s)) {
                tree.decideBeforeApplyPoint(s, Decisions.of(a, profile.undecided()));
                tree.decide(s, profile.undecided());
            } else if (a != null && a.kind() != Action.Kind.USER_NOTIF) {
                tree.decide(s, Decisions.of(a, profile.undecided()));
            }
        }
        Policy filter = notifying(p, notified);
        if (!routeDenials) {
            return new LaunchPlan(filter, tree.build(), true);
        }
        DenialRouting routing = DenialRouting.of(filter, notified);
        return new LaunchPlan(routing.filter(), tree.build(), true, Optional.of(routing));
    }

    /** See {@link LaunchProfile#auditing()}. */
    public static LaunchProfile auditing(LaunchProfile profile) {
        Policy p = profile.policy();
        Set<String> notified = new LinkedHashSet<>(profile.notified());
        Set<String> names = new LinkedHashSet<>();
        p.rules().forEach(r -> names.add(r.syscall()));
        for (String s : names) {
            Action a = kernelAction(p, s);
            if (a != null && denies(a)) {
                notified.add(s);
            }
        }
        Decision undecided = profile.undecided();
        Action def = p.defaultAction();
        if (denies(def)) {
            undecided = Decisions.of(def, profile.undecided());
            List<Rule> rules = new ArrayList<>(p.rules());
            p = new Policy(Action.USER_NOTIF, p.arches(), rules);
            // names with rules keep their own kernel action as the tree's decision; the rest get undecided
        }
        return new LaunchProfile(profile.name() + "+audit", profile.source(), p, notified, undecided, profile.initOnly(),
                profile.applyPoint(), profile.handlers());
    }

    private static boolean denies(Action a) {
        return switch (a.kind()) {
            case ERRNO, KILL_PROCESS, KILL_THREAD, TRAP -> true;
            default -> false;
        };
    }

    /** The policy with every rule of {@code names} replaced by one unconditional USER_NOTIF. */
    private static Policy notifying(Policy p, Set<String> names) {
        List<Rule> rules = new ArrayList<>();
        for (Rule r : p.rules()) {
            if (!names.contains(r.syscall())) {
                rules.add(r);
            }
        }
        for (String s : names) {
            rules.add(new Rule(s, Action.USER_NOTIF, List.of(), "attenuator.launch"));
        }
        return new Policy(p.defaultAction(), p.arches(), rules);
    }

    /**
     * The action {@code syscall} gets whatever its arguments: its rules if all are unconditional
     * (the most restrictive wins), the default if it has none, null when conditions decide.
     */
    static Action kernelAction(Policy p, String syscall) {
        Action best = null;
        for (Rule r : p.rules()) {
            if (r.syscall().equals(syscall)) {
                if (!r.isUnconditional()) {
                    return null;
                }
                if (best == null || r.action().isMoreRestrictiveThan(best)) {
                    best = r.action();
                }
            }
        }
        return best != null ? best : p.defaultAction();
    }

    /**
     * The profile's action for execve, as the keeper gives it: nobody evaluates argument conditions
     * there, so rules with conditions count as their most restrictive action.
     */
    private static Action profileExecAction(Policy p) {
        Action a = kernelAction(p, LAUNCHER_EXEC);
        if (a != null) {
            return a;
        }
        for (Rule r : p.rules()) {
            if (r.syscall().equals(LAUNCHER_EXEC) && (a == null || r.action().isMoreRestrictiveThan(a))) {
                a = r.action();
            }
        }
        return a;
    }

    private static Action.Kind unconditional(Policy p, String syscall) {
        Action a = kernelAction(p, syscall);
        return a == null ? null : a.kind();
    }

}
