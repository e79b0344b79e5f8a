package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.attenuator.testsupport.Waits;

/**
 * The counters file of the fallback tests' loop.c (8 x u64: every notified getppid and how it was
 * answered), built by {@link #compile}.
 */
record LoopCounters(Path file) {

    static final Path LOOP_C = Path.of("../../bundles/plugins/fallback/src/test/resources/org/attenuator/plugin/fallback/internal/loop.c");
    static final int CALLS = 0, SUPERVISOR = 1, EPERM = 2, ENOSYS = 3, OTHER_ERRNO = 4, ALLOWED = 5, DONE = 6;
    /** A profile that allows everything but notifies getppid, the call loop.c makes. */
    static final String NOTIFY_GETPPID =
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}";

    static Path compile(Path dir) throws IOException, InterruptedException {
        return Distribution.compile(LOOP_C, dir.resolve("loop"));
    }

    /** Counter {@code i} (0 before the file exists). */
    long get(int i) {
        try {
            byte[] b = Files.readAllBytes(file);
            return b.length < 64 ? 0 : ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(i * 8);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until {@code by} more calls were answered, none with ENOSYS or another errno. */
    void awaitGrowth(long by, String what, Distribution.Daemon supervisor) throws InterruptedException {
        long start = get(CALLS);
        Waits.until(() -> get(CALLS) >= start + by, Duration.ofSeconds(30),
                () -> file.getFileName() + " " + what + ": " + this + "\nsupervisor: " + supervisor.stderrSoFar());
        assertEquals(0, get(ENOSYS), "ENOSYS: " + this);
        assertEquals(0, get(OTHER_ERRNO), "another errno: " + this);
    }

    @Override
    public String toString() {
        return "calls " + get(CALLS) + " = supervisor " + get(SUPERVISOR) + " + EPERM " + get(EPERM) + " + allowed "
                + get(ALLOWED) + ", ENOSYS " + get(ENOSYS) + ", other errno " + get(OTHER_ERRNO);
    }
}
