package org.attenuator.plugin.learning.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A list of syscall names shipped in the bundle: one name a line, {@code #} starts a comment, blank lines skipped. */
public final class SyscallListResource {

    private SyscallListResource() {
    }

    /** The names in the resource {@code name} next to {@code owner}, in file order. */
    public static List<String> read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the bundle");
            }
            List<String> names = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int hash = line.indexOf('#');
                String syscall = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!syscall.isEmpty()) {
                    names.add(syscall);
                }
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + name, e);
        }
    }
}
