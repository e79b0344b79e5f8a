package org.attenuator.core;

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
     * @param profile the {@code profile} metadata value: a path or a profile store key
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
     */
    default Optional<TreePolicy> policyFor(String profile, List<String> applyPoint) {
        return policyFor(profile).map(p -> applyPoint.isEmpty() ? p
                : p.toBuilder().applyPoint(applyPoint.toArray(String[]::new)).build());
    }
}
