package org.attenuator.core.test;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a fresh supervisor and agent socket ({@link Harness}) in its own directory per test method. */
public abstract class HarnessTest {

    @TempDir
    protected Path dir;
    protected Harness harness;

    @BeforeEach
    void startHarness() throws Exception {
        harness = new Harness(dir);
    }

    @AfterEach
    void stopHarness() {
        harness.close();
    }
}
