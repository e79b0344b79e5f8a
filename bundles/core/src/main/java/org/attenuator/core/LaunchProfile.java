package org.attenuator.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Policy;
import org.attenuator.core.internal.launch.OciProfiles;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.profile.Profile;

/**
 * A profile as a launch needs it: the kernel policy as written (SCMP_ACT_NOTIFY rules as
 * USER_NOTIF), the syscalls the {@code "attenuator"} extension sends to the supervisor besides
 * those, and what notified syscalls get when no handler decides.
 *
 * @param name for humans and the tree's {@code tree.profile} property
 * @param source the file it was read from, if any (sent to an agent as {@code profile=PATH})
 * @param policy the filter policy as the profile writes it
 * @param notified syscall names the supervisor decides (the {@code "attenuator": {"notify": [..]}} list)
 * @param undecided the {@code "attenuator": {"undecided": ..}} action, {@code deny(EPERM)} if unset
 * @param initOnly syscall names the profile allows only before an apply point: the extension's
 *     {@code "initOnly": [..]} and, in a learned profile, {@code "learning": {"initOnly": {ARCH: [..]}}}
 *     for this machine's architecture. Without an apply point they are what the profile says.
 * @param applyPoint the {@code "attenuator": {"applyPoint": [..]}} trigger syscalls, joined to a
 *     launch's own ({@link Launch#applyPoint()}); a supervisor is needed to apply them
 * @param handlers the {@code "attenuator": {"handlers": ..}} LDAP filter over handler service
 *     properties that narrows the tree's handlers (see {@link TreePolicy}), if any
 */
public record LaunchProfile(String name, Optional<Path> source, Policy policy, Set<String> notified, Decision undecided,
        Set<String> initOnly, List<String> applyPoint, Optional<String> handlers) {

    public LaunchProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(policy, "policy");
        notified = Set.copyOf(notified);
        initOnly = Set.copyOf(initOnly);
        applyPoint = List.copyOf(applyPoint);
        Objects.requireNonNull(handlers, "handlers");
        if (Objects.requireNonNull(undecided, "undecided").isPass()) {
            throw new IllegalArgumentException("undecided cannot be pass");
        }
    }

    /** A profile without an apply point or a handler filter. */
    public LaunchProfile(String name, Optional<Path> source, Policy policy, Set<String> notified, Decision undecided,
            Set<String> initOnly) {
        this(name, source, policy, notified, undecided, initOnly, List.of(), Optional.empty());
    }

    /** A profile without init-only syscalls or a handler filter. */
    public LaunchProfile(String name, Optional<Path> source, Policy policy, Set<String> notified, Decision undecided) {
        this(name, source, policy, notified, undecided, Set.of());
    }

    /** A profile built in code, without extension settings. */
    public static LaunchProfile of(String name, Policy policy) {
        return new LaunchProfile(name, Optional.empty(), policy, Set.of(), Decision.deny(TreePolicy.EPERM));
    }

    /**
     * This profile for audit ("complain") mode: every syscall whose rules deny or kill whatever the
     * arguments, and every syscall the default action would deny, is notified instead, with the
     * profile's own action as the tree's decision for it. A tree with property
     * {@link org.attenuator.api.SupervisedTree#AUDIT}{@code =true} then has that decision reported
     * to observers and the call allowed.
     * Rules with argument conditions stay in the kernel (Docker's clone and personality rules, for
     * example): what they deny is still denied, silently.
     */
    public LaunchProfile auditing() {
        return org.attenuator.core.internal.launch.LaunchPlan.auditing(this);
    }

    /**
     * Reads an OCI / Docker seccomp profile (with the {@code "attenuator"} extension), evaluated
     * with {@link TargetCapabilities#defaults()}, what a target keeps by default.
     *
     * @throws IllegalArgumentException naming the file and field when it is unreadable or invalid
     */
    public static LaunchProfile read(Path file) {
        return read(file, TargetCapabilities.defaults());
    }

    /**
     * {@link #read(Path)} evaluated with {@code capabilities} (those the target keeps, see
     * {@link Launch#capabilities()}).
     *
     * @since 0.3.0
     */
    public static LaunchProfile read(Path file, Set<String> capabilities) {
        return OciProfiles.read(file, capabilities);
    }

    /**
     * {@link #read(Path, Set)} of a profile the caller read from {@code file} itself (with
     * {@link org.attenuator.profile.ProfileReader}), for a face that also needs the profile's own
     * settings: the file is read once.
     *
     * @throws IllegalArgumentException naming the file and field when it is invalid
     */
    public static LaunchProfile of(Profile profile, Path file, Set<String> capabilities) {
        return OciProfiles.of(profile, file, capabilities);
    }

    /**
     * Parses the text of an OCI / Docker seccomp profile (with the {@code "attenuator"} extension),
     * for example one an agent received in a handover.
     *
     * @param name the profile's name, used in errors in place of a file name
     * @throws IllegalArgumentException naming the line and field when it is invalid
     * @since 0.3.0
     */
    public static LaunchProfile parse(String text, String name) {
        return OciProfiles.parse(text, name);
    }

    /**
     * The built-in default, {@code docker-default}: today's moby default profile (no io_uring), the
     * allow-list most Linux programs are known to run under, evaluated for this machine's
     * architecture and with {@link TargetCapabilities#defaults()}.
     */
    public static LaunchProfile builtinDefault() {
        return builtinDefault(TargetCapabilities.defaults());
    }

    /** {@link #builtinDefault()} evaluated with {@code capabilities}. */
    public static LaunchProfile builtinDefault(Set<String> capabilities) {
        return OciProfiles.dockerDefault(capabilities);
    }

    /**
     * A built-in profile by name ({@code docker-default}, {@code docker-20.10}); empty for other names.
     *
     * @since 0.3.0
     */
    public static Optional<LaunchProfile> builtin(String name) {
        return builtin(name, TargetCapabilities.defaults());
    }

    /**
     * {@link #builtin(String)} evaluated with {@code capabilities}.
     *
     * @since 0.4.0
     */
    public static Optional<LaunchProfile> builtin(String name, Set<String> capabilities) {
        return OciProfiles.builtin(name, capabilities);
    }
}
