package org.attenuator.core.spi;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * What a tree's notified syscalls get when every handler passes: a decision per syscall name,
 * and the {@code undecided} decision for the rest (default {@code deny(EPERM)}, as the profile's
 * {@code "attenuator": {"undecided": ...}}). Immutable; build one with {@link #builder()}.
 *
 * <p>An apply point (trigger syscall names) splits a tree's life in two phases: before the first
 * trigger, the {@link Phase#INIT init} decisions come first; from the trigger on (the trigger
 * itself included) only the run decisions hold. The phase is per tree, not per process: a daemon's
 * workers forked after {@code listen} belong to the run phase as a whole.
 *
 * <p><b>Per-executable decisions</b> ({@link Builder#decideFor}) let one tree hold a shell that may
 * do more than the tools it starts. They apply to a notification according to the program the
 * calling process runs <em>at the time of that notification</em>, as the kernel records it
 * ({@code /proc/PID/exe} of the calling thread, read by the supervisor and confirmed with
 * SECCOMP_IOCTL_NOTIF_ID_VALID). So:
 * <ul>
 *   <li>they take effect from a process's first notified syscall after it executed the program
 *       (the exec call itself is decided as the program that makes it);</li>
 *   <li>they hold for every thread of that process and for children it forks, until one of them
 *       executes another program (a child runs its parent's program until it execs);</li>
 *   <li>a program is named by the path the kernel reports: symlinks resolved ({@code /bin/sh} is
 *       {@code /usr/bin/dash} on Debian), seen from the process's own root (inside a container,
 *       {@code /bin/busybox}, not the rootfs path on the host). Every applet of a multi-call
 *       binary is the same program.</li>
 * </ul>
 * The path is deliberately not taken from execve's argument: that string is in the caller's memory,
 * and another thread could swap it between the supervisor's read and the kernel's, gaining the
 * decisions of a more trusted program. Lookup order for a syscall: the running program's decision,
 * then (before the apply point) the init decision, then the run decision, then
 * {@link #undecided()}. Only syscalls that some program names pay for the lookup.
 *
 * <p><b>Handler set.</b> A policy may narrow the handlers asked for its tree with an LDAP filter
 * over the handlers' service properties ({@link Builder#handlers(String)}, the profile's
 * {@code "attenuator": {"handlers": "(component.name=...)"}}): a handler is asked when its own
 * {@code attenuator.target} matches the tree and this filter matches the handler. Swapping the
 * policy swaps the handler set with the decisions, in one step.
 */
public final class TreePolicy {

    /** Linux EPERM. */
    public static final int EPERM = 1;

    /** Every notified syscall undecided, answered {@code deny(EPERM)} unless a handler decides. */
    public static final TreePolicy DEFAULT = builder().build();

    private final Map<String, Decision> run;
    private final Map<String, Decision> init;
    private final Map<String, Map<String, Decision>> executables;
    /** Every syscall name some executable decides: only those need the caller's program. */
    private final Set<String> executableSyscalls;
    private final Set<String> applyPoint;
    private final Decision undecided;
    private final String name;
    /** Null: every handler that targets the tree. */
    private final Filter handlers;
    /** Null: the kernel answers the profile's denials itself. */
    private final RoutedDenials routed;

    private TreePolicy(Builder b) {
        this.run = Map.copyOf(b.run);
        this.init = Map.copyOf(b.init);
        Map<String, Map<String, Decision>> byProgram = new LinkedHashMap<>();
        LinkedHashSet<String> syscalls = new LinkedHashSet<>();
        b.executables.forEach((program, decisions) -> {
            byProgram.put(program, Map.copyOf(decisions));
            syscalls.addAll(decisions.keySet());
        });
        this.executables = Map.copyOf(byProgram);
        this.executableSyscalls = Set.copyOf(syscalls);
        this.applyPoint = Set.copyOf(b.applyPoint);
        this.undecided = b.undecided;
        this.name = b.name;
        this.handlers = b.handlers;
        this.routed = b.routed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The decision for {@code syscall} in {@code phase}: in INIT the init decision if any, then the
     * run decision, then {@link #undecided()}.
     */
    public Decision decisionFor(String syscall, Phase phase) {
        Decision d = phase == Phase.INIT ? init.get(syscall) : null;
        if (d == null) {
            d = run.get(syscall);
        }
        return d != null ? d : undecided;
    }

    /**
     * The decision for {@code syscall} in {@code phase} made by a process running
     * {@code executable} (null when unknown): that program's decision if it names the syscall,
     * else {@link #decisionFor(String, Phase)}.
     */
    public Decision decisionFor(String syscall, Phase phase, String executable) {
        if (executable != null) {
            Map<String, Decision> program = executables.get(executable);
            Decision d = program != null ? program.get(syscall) : null;
            if (d != null) {
                return d;
            }
        }
        return decisionFor(syscall, phase);
    }

    /** Whether some executable has its own decision for {@code syscall}: then the caller's program matters. */
    public boolean dependsOnExecutable(String syscall) {
        return executableSyscalls.contains(syscall);
    }

    /** Per-executable decisions: program path -> syscall name -> decision. */
    public Map<String, Map<String, Decision>> executableDecisions() {
        return executables;
    }

    /** What notified syscalls without a decision of their own get. */
    public Decision undecided() {
        return undecided;
    }

    /** The run-phase decisions by syscall name. */
    public Map<String, Decision> decisions() {
        return run;
    }

    /** The decisions that hold before the apply point, by syscall name. */
    public Map<String, Decision> initDecisions() {
        return init;
    }

    /** Trigger syscall names; empty when the policy has no apply point. */
    public Set<String> applyPoint() {
        return applyPoint;
    }

    public boolean hasApplyPoint() {
        return !applyPoint.isEmpty();
    }

    /** A name for humans (the profile it came from), or {@code "default"}. */
    public String name() {
        return name;
    }

    /** The LDAP filter over handler service properties that narrows the tree's handlers, if any. */
    public Optional<String> handlers() {
        return Optional.ofNullable(handlers).map(Filter::toString);
    }

    /** Whether a handler with these service properties may be asked for this policy's tree. */
    public boolean admitsHandler(Map<String, ?> serviceProperties) {
        return handlers == null || handlers.matches(serviceProperties);
    }

    /**
     * The profile's denials its filter notifies for the deny-log, which the supervisor answers
     * exactly as the kernel would have, before any handler; empty when the kernel answers them.
     *
     * @since 0.5.0
     */
    public Optional<RoutedDenials> routedDenials() {
        return Optional.ofNullable(routed);
    }

    /**
     * This policy as its tree decides once past the apply point: the run decisions only, no
     * triggers. For a tree adopted again whose phase is unknown (handed back by the keeper): the
     * init decisions may allow what the run phase denies, so they are not granted a second time.
     *
     * @since 0.6.0
     */
    public TreePolicy pastApplyPoint() {
        if (applyPoint.isEmpty()) {
            return this;
        }
        Builder b = toBuilder();
        b.init.clear();
        b.applyPoint.clear();
        return b.build();
    }

    /** A builder holding this policy's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).undecided(undecided);
        b.handlers = handlers;
        b.routed = routed;
        b.run.putAll(run);
        b.init.putAll(init);
        b.applyPoint.addAll(applyPoint);
        executables.forEach((program, decisions) -> b.executables.put(program, new LinkedHashMap<>(decisions)));
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreePolicy p && p.run.equals(run) && p.init.equals(init)
                && p.applyPoint.equals(applyPoint) && p.undecided.equals(undecided) && p.name.equals(name)
                && p.executables.equals(executables) && p.handlers().equals(handlers())
                && Objects.equals(p.routed, routed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, init, applyPoint, undecided, name, executables, handlers(), routed);
    }

    @Override
    public String toString() {
        return name + "{undecided=" + undecided + ", decisions=" + run
                + (applyPoint.isEmpty() ? "" : ", applyPoint=" + applyPoint + ", init=" + init)
                + (executables.isEmpty() ? "" : ", executables=" + executables)
                + (handlers == null ? "" : ", handlers=" + handlers) + (routed == null ? "" : ", " + routed) + "}";
    }

    /** Collects a policy's settings; {@link #build()} checks nothing is a pass. */
    public static final class Builder {
        private final Map<String, Decision> run = new LinkedHashMap<>();
        private final Map<String, Decision> init = new LinkedHashMap<>();
        private final Map<String, Map<String, Decision>> executables = new LinkedHashMap<>();
        private final LinkedHashSet<String> applyPoint = new LinkedHashSet<>();
        private Decision undecided = Decision.deny(EPERM);
        private String name = "default";
        private Filter handlers;
        private RoutedDenials routed;

        private Builder() {
        }

        /** The run-phase decision for {@code syscall}. */
        public Builder decide(String syscall, Decision decision) {
            run.put(syscall, decided(decision));
            return this;
        }

        /** The decision for {@code syscall} before the apply point. */
        public Builder decideBeforeApplyPoint(String syscall, Decision decision) {
            init.put(syscall, decided(decision));
            return this;
        }

        /**
         * The decision for {@code syscall} made by a process while it runs {@code executable}, an
         * absolute path as the kernel reports the program (see the class comment).
         */
        public Builder decideFor(String executable, String syscall, Decision decision) {
            if (!Objects.requireNonNull(executable, "executable").startsWith("/")) {
                throw new IllegalArgumentException("an executable is named by its absolute path: " + executable);
            }
            executables.computeIfAbsent(executable, k -> new LinkedHashMap<>()).put(syscall, decided(decision));
            return this;
        }

        /** Adds trigger syscalls: the first of them moves the tree from INIT to RUN. */
        public Builder applyPoint(String... syscalls) {
            applyPoint.addAll(Set.of(syscalls));
            return this;
        }

        public Builder undecided(Decision decision) {
            undecided = decided(decision);
            return this;
        }

        /**
         * Narrows the tree's handlers to those whose service properties match {@code ldapFilter}
         * (see the class comment); null: every handler that targets the tree.
         *
         * @throws IllegalArgumentException if it is not a valid LDAP filter, with the parser's reason
         */
        public Builder handlers(String ldapFilter) {
            try {
                handlers = ldapFilter == null ? null : FrameworkUtil.createFilter(ldapFilter);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException("handlers is not a valid LDAP filter: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Answers the profile's routed denials first (see {@link TreePolicy#routedDenials()}); null: none.
         *
         * @since 0.5.0
         */
        public Builder routedDenials(RoutedDenials denials) {
            routed = denials;
            return this;
        }

        public Builder name(String policyName) {
            name = Objects.requireNonNull(policyName, "name");
            return this;
        }

        public TreePolicy build() {
            return new TreePolicy(this);
        }

        private static Decision decided(Decision d) {
            if (Objects.requireNonNull(d, "decision").isPass()) {
                throw new IllegalArgumentException("a policy decides: pass is a handler's answer only");
            }
            return d;
        }
    }
}
