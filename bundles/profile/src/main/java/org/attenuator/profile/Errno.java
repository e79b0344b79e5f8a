package org.attenuator.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Linux errno names and numbers (from the UAPI headers, see src/main/scripts/gen-errno-table.sh). */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOSYS = 38;

    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> BY_NUMBER = new HashMap<>();

    static {
        try (InputStream in = Errno.class.getResourceAsStream("internal/errno.tsv")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(" ");
                int number = Integer.parseInt(f[1]);
                BY_NAME.put(f[0], number);
                BY_NUMBER.putIfAbsent(number, f[0]);  // the table lists the canonical name first
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Errno() {
    }

    /** A name such as {@code EPERM}, or a number 1..4095. */
    public static Optional<Integer> parse(String text) {
        Integer byName = BY_NAME.get(text);
        if (byName != null) {
            return Optional.of(byName);
        }
        try {
            int n = Integer.parseInt(text);
            return n > 0 && n < 4096 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The name of a number, or the number itself when it has none. */
    public static String name(int errno) {
        return BY_NUMBER.getOrDefault(errno, Integer.toString(errno));
    }
}
