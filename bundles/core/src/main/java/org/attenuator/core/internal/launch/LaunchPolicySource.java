package org.attenuator.core.internal.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreePolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Fallback {@link PolicySource} so that trees handed to an agent by {@code attenuator run --agent}
 * get the decisions of the profile they were launched with (a built-in by name, {@code
 * docker-default} or {@code docker-20.10}, or the profile's text that the launch carried): the same
 * tree policy a supervised launch gets. An absolute file path is read for trusted callers only (an
 * administrator's swap, a tree the keeper hands back with the path the intake resolved).
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
        if (p.isEmpty() && profile.startsWith("/") && Files.exists(Path.of(profile))) {
            p = Optional.of(LaunchProfile.read(Path.of(profile))); // bounded: a regular file of at most 1 MiB
        }
        return p.map(launch -> treePolicy(launch, applyPoint));
    }

    @Override
    public Optional<TreePolicy> policyForText(String name, String text, List<String> applyPoint) {
        return Optional.of(treePolicy(LaunchProfile.parse(text, name), applyPoint));
    }

    private static TreePolicy treePolicy(LaunchProfile p, List<String> applyPoint) {
        return LaunchPlan.of(p, Mode.SUPERVISED, applyPoint).treePolicy();
    }
}
