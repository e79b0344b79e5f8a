package org.attenuator.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code --deny-log[=FILE]} of {@code run} and {@code agent}: routes the logger {@code
 * attenuator.denylog} to a file. The command line parses the option (there is one parser, so the
 * launcher never mistakes a program's own argument for it) and calls {@link #route}; this sets the
 * system property {@value #PROPERTY} and has logback read {@code conf/logback.xml} again, which
 * routes the logger to a rolling JSON-lines file only when that property is defined. A property
 * set in JAVA_OPTS is read by logback at start and wins.
 */
public final class DenyLogOption {

    /** System property: the deny-log file (absolute). */
    static final String PROPERTY = "attenuator.denylog.file";

    /**
     * The file's path is the rotation's file name pattern too (conf/logback.xml), where these
     * characters are a conversion word or, in logback's collision check, a regular expression: such
     * a path would fail inside logback instead of with a line that names it.
     */
    private static final String PATTERN_CHARACTERS = "%[](){}\\*+?^$|";

    private DenyLogOption() {
    }

    /**
     * Routes the deny-log to {@code value}, or to the default file when it is empty, unless a file is
     * configured already; the file is checked by {@link TrustedPath} first.
     *
     * @return the deny-log file
     * @throws IOException {@code refusing PATH: REASON} when someone else could have planted the file
     */
    public static synchronized Path route(String value) throws IOException {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        int uid = TrustedPath.uid();
        Path file = value.isEmpty() ? defaultFile(System.getenv(), uid == 0, System.getProperty("user.home"))
                : Path.of(value).toAbsolutePath();
        check(file, uid);
        System.setProperty(PROPERTY, file.toString());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.reset();
            try {
                new ContextInitializer(logback).autoConfig();
            } catch (JoranException e) {
                throw new IOException("cannot configure the deny-log: " + e.getMessage(), e);
            }
        }
        return file;
    }

    /**
     * {@code HOME/log/denylog.jsonl}: $ATTENUATOR_HOME, else /var/lib/attenuator as root, else
     * ~/.local/state/attenuator ({@link AttenuatorHome}).
     */
    static Path defaultFile(Map<String, String> env, boolean root, String userHome) {
        return AttenuatorHome.resolve(env, root, userHome).resolve("log").resolve("denylog.jsonl");
    }

    /**
     * At start: a deny-log file set in JAVA_OPTS is checked by {@link TrustedPath} before logback
     * opens it.
     *
     * @throws IOException {@code refusing PATH: REASON} when someone else could have planted the file
     */
    static void checkConfigured() throws IOException {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            check(Path.of(configured).toAbsolutePath(), TrustedPath.uid());
        }
    }

    /** @throws IOException {@code refusing PATH: REASON} */
    private static void check(Path file, int uid) throws IOException {
        String path = file.toString();
        for (char c : PATTERN_CHARACTERS.toCharArray()) {
            if (path.indexOf(c) >= 0) {
                throw new IOException("refusing " + path + ": a deny-log path may not contain " + c
                        + " (the log rotation reads it as a pattern)");
            }
        }
        TrustedPath.file(file, uid);
    }
}
