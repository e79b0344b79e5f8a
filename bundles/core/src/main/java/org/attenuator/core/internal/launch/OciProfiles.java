package org.attenuator.core.internal.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.attenuator.api.Decision;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.Policy;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.TargetCapabilities;
import org.attenuator.profile.AttenuatorSettings;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.PolicyResolver;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ResolveOptions;

/**
 * OCI / Docker seccomp profiles for launching, read and resolved by the profile bundle as runc and
 * Docker do for this machine (host arch entry, includes / excludes, minimum kernel), with the
 * capabilities the target keeps (see {@link org.attenuator.core.TargetCapabilities}). Names in
 * {@code attenuator.notify} come back as USER_NOTIF.
 */
public final class OciProfiles {

    /** By name and capability set: few sets occur in one process (the default, a privileged one). */
    private static final Map<List<Object>, LaunchProfile> BUILTIN = new ConcurrentHashMap<>();

    private OciProfiles() {
    }

    public static LaunchProfile dockerDefault(Set<String> capabilities) {
        return builtin(BuiltinProfiles.DOCKER_DEFAULT, capabilities).orElseThrow();
    }

    /** A built-in profile by name ({@link BuiltinProfiles#NAMES}), resolved once per capability set. */
    public static Optional<LaunchProfile> builtin(String name, Set<String> capabilities) {
        if (!BuiltinProfiles.NAMES.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(BUILTIN.computeIfAbsent(List.of(name, Set.copyOf(capabilities)), k -> {
            try {
                return toLaunchProfile(BuiltinProfiles.named(name).orElseThrow(), name, Optional.empty(), capabilities);
            } catch (CompileException e) {
                throw new IllegalStateException("built-in profile " + name + ": " + e.getMessage(), e);
            }
        }));
    }

    /** @throws IllegalArgumentException with the reader's one line (file, line, field) */
    public static LaunchProfile read(Path file, Set<String> capabilities) {
        try {
            return of(ProfileReader.read(file), file, capabilities);
        } catch (CompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException with the resolver's one line (file, field) */
    public static LaunchProfile of(Profile profile, Path file, Set<String> capabilities) {
        try {
            return toLaunchProfile(profile, file.getFileName().toString().replaceFirst("\\.json$", ""),
                    Optional.of(file.toAbsolutePath()), capabilities);
        } catch (CompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException with the reader's one line (name, line, field) */
    public static LaunchProfile parse(String text, String name) {
        try {
            return toLaunchProfile(ProfileReader.parse(text, name), name, Optional.empty(), TargetCapabilities.defaults());
        } catch (CompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static LaunchProfile toLaunchProfile(Profile profile, String name, Optional<Path> source,
            Set<String> capabilities) throws CompileException {
        Policy policy = PolicyResolver.resolve(profile, ResolveOptions.defaults().withCapabilities(capabilities),
                source.map(Path::toString).orElse(name));
        AttenuatorSettings ext = profile.attenuator();
        Decision undecided = ext == null ? Decision.deny(org.attenuator.core.spi.TreePolicy.EPERM) : decision(ext.undecided());
        return new LaunchProfile(name, source, policy,
                ext == null ? java.util.Set.of() : java.util.Set.copyOf(ext.notifiedSyscalls()), undecided,
                ext == null ? java.util.Set.of() : initOnly(ext.otherFields()),
                ext == null ? java.util.List.of() : ext.applyPoint(),
                ext == null ? Optional.empty() : handlers(ext.otherFields(), source.map(Path::toString).orElse(name)));
    }

    /**
     * {@code "handlers": "(LDAP filter)"}, checked here so that a bad one fails the read, in one
     * line naming the file, rather than a launch or a swap later.
     */
    static Optional<String> handlers(java.util.Map<String, Object> ext, String where) {
        Object value = ext.get("handlers");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String filter)) {
            throw new IllegalArgumentException(where + ": attenuator.handlers: must be a string (an LDAP filter)");
        }
        try {
            org.osgi.framework.FrameworkUtil.createFilter(filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(where + ": attenuator.handlers: not a valid LDAP filter: " + e.getMessage(), e);
        }
        return Optional.of(filter);
    }

    /**
     * {@code "initOnly": ["mkdir", ..]} and a learned profile's {@code "learning": {"initOnly":
     * {"SCMP_ARCH_X86_64": [..]}}} (this machine's architecture), names that are strings.
     */
    static java.util.Set<String> initOnly(java.util.Map<String, Object> ext) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        strings(ext.get("initOnly"), names);
        if (ext.get("learning") instanceof java.util.Map<?, ?> learning
                && learning.get("initOnly") instanceof java.util.Map<?, ?> byArch) {
            org.attenuator.bpf.Arch.host().ifPresent(a -> strings(byArch.get(a.scmpName()), names));
        }
        return names;
    }

    private static void strings(Object list, java.util.Set<String> into) {
        if (list instanceof java.util.List<?> l) {
            l.stream().filter(String.class::isInstance).map(String.class::cast).forEach(into::add);
        }
    }

    static Decision decision(AttenuatorSettings.Decision d) {
        return switch (d.kind()) {
            case ALLOW -> Decision.allow();
            case KILL -> Decision.kill();
            case ERRNO -> Decision.deny(d.errno());
        };
    }
}
