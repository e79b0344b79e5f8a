package org.attenuator.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.profile.internal.ProfileSerializer;

/** Writes profiles as indented JSON that runc, crun, Docker and Podman load (they ignore {@code "attenuator"}). */
public final class ProfileWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProfileWriter() {
    }

    public static String toJson(Profile profile) {
        try {
            return MAPPER.writeValueAsString(new ProfileSerializer(MAPPER).toTree(profile)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);  // a tree of plain values always serializes
        }
    }

    public static void write(Profile profile, Path file) throws IOException {
        Files.writeString(file, toJson(profile), StandardCharsets.UTF_8);
    }
}
