package org.attenuator.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's own ATTENUATOR_HOME: {@code DIR/home}, created empty, in a directory of the test's.
 * Either inline, {@code TempHome.in(dir)} under a JUnit {@code @TempDir}, or as an extension
 * that makes a fresh directory for each test and deletes it afterwards:
 * <pre>
 * &#64;RegisterExtension
 * final TempHome temp = new TempHome();   // temp.home(), and temp.dir() for the test's other files
 * </pre>
 */
public final class TempHome implements BeforeEachCallback, AfterEachCallback {

    private Path dir;
    private Path home;

    /** {@code dir/home}, created (with its parents) if it is not there yet. */
    public static Path in(Path dir) throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    /** This test's directory (private to this user), which holds {@link #home()}. */
    public Path dir() {
        return dir;
    }

    /** This test's ATTENUATOR_HOME, empty when the test starts. */
    public Path home() {
        return home;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        // a short name: the keeper's socket under the home must stay within sun_path's 107 bytes
        dir = Files.createTempDirectory("t");
        home = in(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
