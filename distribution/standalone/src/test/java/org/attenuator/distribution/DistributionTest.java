package org.attenuator.distribution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test that starts the distribution's processes in a directory of its own. After each test they
 * are killed, and so is whatever they left running that names the directory: targets outlive a
 * killed `run` JVM by design, and a test that fails half-way must not leave them using the CPU.
 */
abstract class DistributionTest {

    @TempDir
    Path dir;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatWasStarted() {
        started.forEach(Process::destroyForcibly);
        Distribution.killEverythingUnder(dir);
    }
}
