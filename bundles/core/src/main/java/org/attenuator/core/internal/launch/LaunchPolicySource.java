package org.attenuator.core.internal.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.PolicySource;
import org.attenuator.core.TreePolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Fallback {@link PolicySource} so that trees handed to an agent by {@code attenuator run --agent}
 * get the decisions of the profile they were launched with ({@code profile=} names a built-in
 * ({@code docker-default}, {@code docker-20.10}) or an absolute file): the same tree policy a supervised launch gets.
 * Ranked low: the profile bundle's source (profile store keys, learned profiles) wins when present.
 */
@Component(service = PolicySource.class, property = "service.ranking:Integer=-100")
public final class LaunchPolicySource implements PolicySource {

    @Override
    public Optional<TreePolicy> policyFor(String profile) {
        return policyFor(profile, List.of());
    }

    /** The tree policy the launcher built for the same profile and apply point (init-only syscalls included). */
    @Override
    public Optional<TreePolicy> policyFor(String profile, List<String> applyPoint) {
        Optional<LaunchProfile> p = LaunchProfile.builtin(profile);
        if (p.isEmpty() && profile.startsWith("/") && Files.isRegularFile(Path.of(profile))) {
            p = Optional.of(LaunchProfile.read(Path.of(profile)));
        }
        return p.map(launch -> LaunchPlan.of(launch, Mode.SUPERVISED, applyPoint).treePolicy());
    }
}
