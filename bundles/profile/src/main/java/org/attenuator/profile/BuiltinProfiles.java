package org.attenuator.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.attenuator.bpf.CompileException;

/**
 * Profiles shipped with Attenuator. {@code docker-default} is Docker 20.10's default seccomp
 * profile, unchanged: the profile most container workloads already run under, covering x86_64,
 * x86 and x32 (and aarch64 through its archMap).
 */
public final class BuiltinProfiles {

    /** The name of Docker's default profile. */
    public static final String DOCKER_DEFAULT = "docker-default";

    private BuiltinProfiles() {
    }

    /** The JSON of {@link #DOCKER_DEFAULT}, as Docker ships it. */
    public static String dockerDefaultJson() {
        try (InputStream in = BuiltinProfiles.class.getResourceAsStream(DOCKER_DEFAULT + ".json")) {
            if (in == null) {
                throw new IllegalStateException(DOCKER_DEFAULT + ".json is missing from the profile bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #DOCKER_DEFAULT}, parsed. */
    public static Profile dockerDefault() {
        try {
            return ProfileReader.parse(dockerDefaultJson(), "built-in " + DOCKER_DEFAULT);
        } catch (CompileException e) {
            throw new IllegalStateException("built-in profile " + DOCKER_DEFAULT + ": " + e.getMessage(), e);
        }
    }
}
