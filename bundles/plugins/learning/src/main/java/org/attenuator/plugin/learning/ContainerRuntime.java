package org.attenuator.plugin.learning;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.attenuator.plugin.learning.internal.SyscallListResource;

/**
 * The container runtime an exported profile is for. A runtime installs the container's filter and
 * then goes on making syscalls of its own up to the container's execve; learning never sees them, so
 * an export for a runtime adds them (its <em>base syscalls</em>). Each list is measured (see
 * docs/learning.md, "Runtime base syscalls") and kept in the resource {@code runtime/NAME.syscalls}.
 *
 * @since 1.2.0
 */
public enum ContainerRuntime {
    /** runc 1.1 (measured on 1.1.5); the default of Docker, containerd and CRI-O. */
    RUNC("runc-v1.1.5"),
    /** crun 1.8 (measured on 1.8.1). */
    CRUN("crun-v1.8.1"),
    /** No runtime: the profile as learned, for {@code attenuator run --profile} or a process outside containers. */
    NONE(null);

    private final String baseProfileName;
    private volatile List<String> baseSyscalls;

    ContainerRuntime(String baseProfileName) {
        this.baseProfileName = baseProfileName;
    }

    /** {@code runc}, {@code crun} or {@code none}, any case. */
    public static Optional<ContainerRuntime> parse(String text) {
        for (ContainerRuntime r : values()) {
            if (r.toString().equalsIgnoreCase(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** What the runtime calls after it installs the filter, up to and including the container's execve; empty for NONE. */
    public List<String> baseSyscalls() {
        if (this == NONE) {
            return List.of();
        }
        List<String> names = baseSyscalls;
        if (names == null) {
            names = SyscallListResource.read(ContainerRuntime.class, "runtime/" + this + ".syscalls");
            baseSyscalls = names;
        }
        return names;
    }

    /**
     * The name of the security-profiles-operator base profile with {@link #baseSyscalls()}
     * ({@code spec.baseProfileName}): the runtime and the version the list was measured on,
     * {@code runc-v1.1.5}; empty for NONE.
     */
    public Optional<String> baseProfileName() {
        return Optional.ofNullable(baseProfileName);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
