package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Attenuator keeps its files, by one rule for every part. None of these is a guessable path
 * in a directory other users can write ({@code /tmp}): another user could create it first. Open
 * them with {@link StrictDirectory}, which checks them.
 *
 * @since 0.3.0
 */
public final class AttenuatorPaths {
    /** Environment variable naming Attenuator's home. */
    public static final String HOME_ENV = "ATTENUATOR_HOME";
    static final String RUNTIME_ENV = "XDG_RUNTIME_DIR";

    private AttenuatorPaths() {}

    /** This process's effective uid, the one {@link StrictDirectory} trusts besides root. */
    public static int uid() {
        return LIBC.geteuid();
    }

    /** {@link #home(Map, int, String)} of this process. */
    public static Path home() {
        return home(System.getenv(), uid(), System.getProperty("user.home"));
    }

    /**
     * Attenuator's home (learned profiles, logs): {@code $ATTENUATOR_HOME}, else
     * {@code /var/lib/attenuator} as root, else {@code ~/.local/state/attenuator} (XDG state: it
     * is data the program produced, not data a user installed).
     */
    public static Path home(Map<String, String> env, int uid, String userHome) {
        String fromEnv = env.get(HOME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.strip()).toAbsolutePath();
        }
        return uid == 0 ? Path.of("/var/lib/attenuator") : userState(userHome);
    }

    /** {@link #runtime(Map, int, String)} of this process. */
    public static Path runtime() {
        return runtime(System.getenv(), uid(), System.getProperty("user.home"));
    }

    /**
     * Where sockets go: {@code $XDG_RUNTIME_DIR/attenuator} when that variable names an existing
     * absolute directory (a session's private tmpfs, {@code /run/user/UID}; a stale one left by
     * {@code su} is skipped), else {@code /run/attenuator} as root, else
     * {@code ~/.local/state/attenuator/run}. Short on purpose: a socket path must fit
     * {@code sun_path} (107 bytes).
     */
    public static Path runtime(Map<String, String> env, int uid, String userHome) {
        String xdg = env.get(RUNTIME_ENV);
        if (xdg != null && xdg.startsWith("/") && Files.isDirectory(Path.of(xdg))) {
            return Path.of(xdg, "attenuator");
        }
        return uid == 0 ? Path.of("/run/attenuator") : userState(userHome).resolve("run");
    }

    private static Path userState(String userHome) {
        return Path.of(userHome, ".local", "state", "attenuator");
    }
}
