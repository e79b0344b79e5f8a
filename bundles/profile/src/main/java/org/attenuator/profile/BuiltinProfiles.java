package org.attenuator.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.attenuator.bpf.CompileException;

/**
 * Profiles shipped with Attenuator, unchanged. {@code docker-default}, the default, is today's
 * moby default seccomp profile (moby commit cd3bed8): io_uring is not in it, since moby and
 * containerd removed it in 2023 (its ops perform file and socket calls the filter never sees).
 * {@code docker-20.10} is Docker 20.10's default, which still allows {@code io_uring_*}; it is
 * kept for comparison and for workloads that need io_uring. Both cover x86_64, x86 and x32 (and
 * aarch64 through their archMap).
 */
public final class BuiltinProfiles {

    /** The name of the default profile: today's moby default. */
    public static final String DOCKER_DEFAULT = "docker-default";
    /** Docker 20.10's default profile, which allows io_uring. */
    public static final String DOCKER_20_10 = "docker-20.10";
    /**
     * Every built-in name, the default first.
     *
     * @since 0.2.0
     */
    public static final List<String> NAMES = List.of(DOCKER_DEFAULT, DOCKER_20_10);

    private BuiltinProfiles() {
    }

    /**
     * One line on what a built-in profile is, for listings; empty for a name that is not built in.
     *
     * @since 0.3.0
     */
    public static Optional<String> description(String name) {
        return switch (name) {
            case DOCKER_DEFAULT -> Optional.of("the default: today's moby default profile (no io_uring)");
            case DOCKER_20_10 -> Optional.of("Docker 20.10's default profile, which allows io_uring");
            default -> Optional.empty();
        };
    }

    /**
     * The JSON of a built-in profile, as shipped; empty for a name that is not built in.
     *
     * @since 0.2.0
     */
    public static Optional<String> json(String name) {
        if (!NAMES.contains(name)) {
            return Optional.empty();
        }
        try (InputStream in = BuiltinProfiles.class.getResourceAsStream(name + ".json")) {
            if (in == null) {
                throw new IllegalStateException(name + ".json is missing from the profile bundle");
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one line that says {@code name} is not built in, and which names are. */
    public static String unknown(String name) {
        return "no built-in profile " + name + " (built in: " + String.join(", ", NAMES) + ")";
    }

    /**
     * A built-in profile, parsed; empty for a name that is not built in.
     *
     * @since 0.2.0
     */
    public static Optional<Profile> named(String name) {
        return json(name).map(text -> parse(name, text));
    }

    /** {@link #DOCKER_DEFAULT}, parsed. */
    public static Profile dockerDefault() {
        return named(DOCKER_DEFAULT).orElseThrow();
    }

    private static Profile parse(String name, String text) {
        try {
            return ProfileReader.parse(text, "built-in " + name);
        } catch (CompileException e) {
            throw new IllegalStateException("built-in profile " + name + ": " + e.getMessage(), e);
        }
    }
}
