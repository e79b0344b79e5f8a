package org.attenuator.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/** Test directories under target/: /tmp is writable by everybody, so the checks refuse it. */
final class BuildDirectoryTempDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws Exception {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "junit-");
    }
}
