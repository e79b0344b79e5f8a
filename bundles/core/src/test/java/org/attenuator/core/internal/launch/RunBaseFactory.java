package org.attenuator.core.internal.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.StrictDirectory;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Per-test run bases inside the real runtime directory ({@code /run/attenuator} as root): short
 * enough for a socket path and trusted by {@link StrictDirectory}, which /tmp is not.
 */
final class RunBaseFactory implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws Exception {
        try (StrictDirectory runtime = StrictDirectory.create(AttenuatorPaths.runtime())) {
            return Files.createTempDirectory(runtime.path(), "test-");
        }
    }
}
