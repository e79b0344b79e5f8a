package org.attenuator.core;

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
}
