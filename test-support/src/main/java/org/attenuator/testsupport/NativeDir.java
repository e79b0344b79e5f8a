package org.attenuator.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The native programs a test runs (attenuator-testhelper, attenuator-exec, attenuator-keeper): the
 * build unpacks attenuator-native and names its bin directory in the system property
 * {@value #PROPERTY}.
 */
public final class NativeDir {

    /** The system property surefire and failsafe set to the unpacked bin directory. */
    public static final String PROPERTY = "attenuator.native.dir";

    private NativeDir() {
    }

    /** The directory; fails with the reason when the property is not set (a test run outside Maven). */
    public static Path dir() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            throw new IllegalStateException(
                    PROPERTY + " is not set (run the tests through Maven, which unpacks attenuator-native)");
        }
        return Path.of(dir);
    }

    /** The program {@code name} in {@link #dir()}; fails naming the path when it is not executable there. */
    public static Path program(String name) {
        Path p = dir().resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is not executable (is attenuator-native unpacked?)");
        }
        return p;
    }

    /** attenuator-testhelper: starts a command under a filter and sends its listener like runc. */
    public static Path testhelper() {
        return program("attenuator-testhelper");
    }

    /** attenuator-keeper: the fallback holder of listeners. */
    public static Path keeper() {
        return program("attenuator-keeper");
    }
}
