package org.attenuator.plugin.learning.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Attenuator's home directory: the configured one, else {@code $ATTENUATOR_HOME}, else
 * {@code /var/lib/attenuator} as root, else {@code ~/.local/share/attenuator}.
 */
final class Home {

    static final String ENV = "ATTENUATOR_HOME";

    private Home() {
    }

    static Path resolve(String configured) {
        return resolve(configured, System.getenv(), isRoot(), System.getProperty("user.home"));
    }

    static Path resolve(String configured, Map<String, String> env, boolean root, String userHome) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.strip());
        }
        return root ? Path.of("/var/lib/attenuator") : Path.of(userHome, ".local", "share", "attenuator");
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
