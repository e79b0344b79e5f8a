package org.attenuator.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --deny-log [FILE]} of {@code run} and {@code agent}, read by the launcher before logging
 * starts: logback reads its configuration once, on the first logger, so the file must be known
 * then. The launcher sets the system property {@value #PROPERTY} to the file, and
 * {@code conf/logback.xml} routes the logger {@code attenuator.denylog} to a rolling JSON-lines file
 * only when that property is defined. The rule for the optional value is the command line's: the
 * next word is the file unless it starts with {@code -} ({@code --deny-log=FILE} always works).
 */
final class DenyLogOption {

    /** System property: the deny-log file (absolute). */
    static final String PROPERTY = "attenuator.denylog.file";
    static final String OPTION = "--deny-log";
    private static final List<String> COMMANDS = List.of("run", "agent");

    private DenyLogOption() {
    }

    /** The deny-log file the arguments ask for; empty when they do not. */
    static Optional<Path> file(String[] args, Map<String, String> env, boolean root, String userHome) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            return Optional.empty();
        }
        Optional<String> value = Optional.empty();
        for (int i = 1; i < args.length && !args[i].equals("--"); i++) {
            String a = args[i];
            if (a.equals(OPTION)) {
                value = Optional.of(i + 1 < args.length && !args[i + 1].startsWith("-") ? args[++i] : "");
            } else if (a.startsWith(OPTION + "=")) {
                value = Optional.of(a.substring(OPTION.length() + 1));
            }
        }
        return value.map(v -> v.isEmpty() ? defaultFile(env, root, userHome) : Path.of(v).toAbsolutePath());
    }

    /**
     * {@code HOME/log/denylog.jsonl}: $ATTENUATOR_HOME, else /var/lib/attenuator as root, else
     * ~/.local/state/attenuator ({@link AttenuatorHome}).
     */
    static Path defaultFile(Map<String, String> env, boolean root, String userHome) {
        return AttenuatorHome.resolve(env, root, userHome).resolve("log").resolve("denylog.jsonl");
    }

    /**
     * Sets {@value #PROPERTY} when the arguments ask for a deny-log file and it is not set already,
     * after {@link TrustedPath} has checked it.
     *
     * @throws IOException {@code refusing PATH: REASON} when someone else could have planted the file
     */
    static void configure(String[] args) throws IOException {
        String configured = System.getProperty(PROPERTY);
        int uid = TrustedPath.uid();
        Optional<Path> file = configured != null ? Optional.of(Path.of(configured).toAbsolutePath())
                : file(args, System.getenv(), uid == 0, System.getProperty("user.home"));
        if (file.isPresent()) {
            TrustedPath.file(file.get(), uid);
            System.setProperty(PROPERTY, file.get().toString());
        }
    }
}
