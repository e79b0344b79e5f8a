package org.attenuator.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * Attenuator's home directory: $ATTENUATOR_HOME, else /var/lib/attenuator as root, else
 * ~/.local/state/attenuator: the rule of org.attenuator.linux.AttenuatorPaths, which lives in a
 * bundle the launcher cannot load before the framework starts.
 */
final class AttenuatorHome {

    private AttenuatorHome() {
    }

    static Path resolve(Map<String, String> env, boolean root, String userHome) {
        String home = env.get("ATTENUATOR_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home.strip())
                : root ? Path.of("/var/lib/attenuator") : Path.of(userHome, ".local", "state", "attenuator");
        return base.toAbsolutePath();
    }

    /** This JVM's: from its environment and user. */
    static Path resolve() {
        return resolve(System.getenv(), "root".equals(System.getProperty("user.name")), System.getProperty("user.home"));
    }
}
