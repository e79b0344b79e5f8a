package org.attenuator.core.spi;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a profile reference into a tree policy, for trees whose agent metadata names one with
 * {@code profile=REF}. Registered as a service (the profile bundle provides one); without it, or
 * when it knows no such profile, trees get {@link TreePolicy#DEFAULT}.
 */
@ConsumerType
public interface PolicySource {

    /**
     * @param profile a profile name this source knows (a built-in such as {@code docker-default},
     *     a store key), or an absolute file path from a trusted caller (an administrator's command).
     *     The agent intake passes names only: a file a peer names is resolved and read by the
     *     intake, inside its profile directories, and reaches a source as text.
     * @return the policy, or empty if the reference names nothing this source knows
     * @throws IllegalArgumentException if the profile exists but is invalid (the message says why)
     */
    Optional<TreePolicy> policyFor(String profile);

    /**
     * As {@link #policyFor(String)}, with apply-point triggers besides the profile's own (the
     * {@code applyPoint} metadata of a tree that {@code run --agent --apply-point} handed over).
     * This default only adds them as triggers; a source that knows the profile's init-only
     * syscalls also decides those as the launcher did.
     *
     * @param applyPoint trigger syscall names; empty: none besides the profile's
     * @since 0.2.0
     */
    default Optional<TreePolicy> policyFor(String profile, List<String> applyPoint) {
        return policyFor(profile).map(p -> applyPoint.isEmpty() ? p
                : p.toBuilder().applyPoint(applyPoint.toArray(String[]::new)).build());
    }

    /**
     * The policy of a profile's text: a profile file the agent intake read from its profile
     * directories, or the text {@code run --agent} carries in its message.
     *
     * @param name the profile's name, for humans and logs
     * @param text the OCI / Docker seccomp profile JSON
     * @param applyPoint trigger syscall names besides the profile's own
     * @return the policy, or empty if this source does not read profile text (this default)
     * @throws IllegalArgumentException if the text is not a valid profile; the message names the
     *     line and field but never quotes the text
     * @since 0.3.0
     */
    default Optional<TreePolicy> policyForText(String name, String text, List<String> applyPoint) {
        return Optional.empty();
    }
}
