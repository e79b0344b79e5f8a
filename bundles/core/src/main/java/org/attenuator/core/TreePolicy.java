package org.attenuator.core;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;

/**
 * What a tree's notified syscalls get when every handler passes: a decision per syscall name,
 * and the {@code undecided} decision for the rest (default {@code deny(EPERM)}, as the profile's
 * {@code "attenuator": {"undecided": ...}}). Immutable; build one with {@link #builder()}.
 *
 * <p>An apply point (trigger syscall names) splits a tree's life in two phases: before the first
 * trigger, the {@link Phase#INIT init} decisions come first; from the trigger on (the trigger
 * itself included) only the run decisions hold. The phase is per tree, not per process: a daemon's
 * workers forked after {@code listen} belong to the run phase as a whole.
 */
public final class TreePolicy {

    /** Linux EPERM. */
    public static final int EPERM = 1;

    /** Every notified syscall undecided, answered {@code deny(EPERM)} unless a handler decides. */
    public static final TreePolicy DEFAULT = builder().build();

    private final Map<String, Decision> run;
    private final Map<String, Decision> init;
    private final Set<String> applyPoint;
    private final Decision undecided;
    private final String name;

    private TreePolicy(Builder b) {
        this.run = Map.copyOf(b.run);
        this.init = Map.copyOf(b.init);
        this.applyPoint = Set.copyOf(b.applyPoint);
        this.undecided = b.undecided;
        this.name = b.name;
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

    /** A builder holding this policy's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).undecided(undecided);
        b.run.putAll(run);
        b.init.putAll(init);
        b.applyPoint.addAll(applyPoint);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreePolicy p && p.run.equals(run) && p.init.equals(init)
                && p.applyPoint.equals(applyPoint) && p.undecided.equals(undecided) && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, init, applyPoint, undecided, name);
    }

    @Override
    public String toString() {
        return name + "{undecided=" + undecided + ", decisions=" + run
                + (applyPoint.isEmpty() ? "" : ", applyPoint=" + applyPoint + ", init=" + init) + "}";
    }

    /** Collects a policy's settings; {@link #build()} checks nothing is a pass. */
    public static final class Builder {
        private final Map<String, Decision> run = new LinkedHashMap<>();
        private final Map<String, Decision> init = new LinkedHashMap<>();
        private final LinkedHashSet<String> applyPoint = new LinkedHashSet<>();
        private Decision undecided = Decision.deny(EPERM);
        private String name = "default";

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

        /** Adds trigger syscalls: the first of them moves the tree from INIT to RUN. */
        public Builder applyPoint(String... syscalls) {
            applyPoint.addAll(Set.of(syscalls));
            return this;
        }

        public Builder undecided(Decision decision) {
            undecided = decided(decision);
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
