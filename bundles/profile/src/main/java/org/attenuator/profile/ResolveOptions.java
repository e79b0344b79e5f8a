package org.attenuator.profile;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.attenuator.bpf.Arch;

/**
 * What a profile is resolved for. {@code arches}: the architectures to cover, first the native
 * one (empty: the profile's {@code architectures}, else its {@code archMap} entry for the host,
 * else the host alone). {@code capabilities}: see {@link Capabilities#DOCKER_DEFAULT}.
 * {@code kernelVersion}: for {@code minKernel}, e.g. "6.18".
 */
public record ResolveOptions(List<Arch> arches, Set<String> capabilities, String kernelVersion) {

    public ResolveOptions {
        arches = List.copyOf(arches);
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(kernelVersion, "kernelVersion");
    }

    /** The profile's architectures, Docker's default capabilities, the running kernel. */
    public static ResolveOptions defaults() {
        return new ResolveOptions(List.of(), Capabilities.DOCKER_DEFAULT, System.getProperty("os.version"));
    }

    public ResolveOptions withArches(List<Arch> value) {
        return new ResolveOptions(value, capabilities, kernelVersion);
    }

    public ResolveOptions withCapabilities(Set<String> value) {
        return new ResolveOptions(arches, value, kernelVersion);
    }

    public ResolveOptions withKernelVersion(String value) {
        return new ResolveOptions(arches, capabilities, value);
    }
}
