package org.attenuator.plugin.fallback.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.attenuator.testsupport.NativeDir;
import org.junit.jupiter.api.Test;

/** Where a real keeper is started: its directory and its log. */
class KeeperHomeTest {

    @Test
    void logRotatedAtOneMebibyteKeepingOneOldCopy() throws Exception {
        Path run = Files.createTempDirectory(Files.createDirectories(Path.of("target", "fallback-runs")), "home-")
                .toAbsolutePath().resolve("run");
        FallbackSettings settings = new FallbackSettings(true, "errno:EPERM", false,
                NativeDir.keeper(), run.resolve("keeper.sock"), 64,
                256, false);
        KeeperHome home = new KeeperHome(settings);

        KeeperProcess first = home.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(run.resolve("keeper.sock")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)), "created 0700");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("keeper.log"))));
        first.stop(Duration.ZERO);

        byte[] old = new byte[(int) KeeperHome.ROTATE_BYTES];
        java.util.Arrays.fill(old, (byte) 'x');
        Files.write(run.resolve("keeper.log"), old);
        KeeperProcess second = home.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(run.resolve("keeper.log")).contains("listening on"));
        assertEquals(KeeperHome.ROTATE_BYTES, Files.size(run.resolve("keeper.log.1")), "the full log became keeper.log.1");
        assertTrue(Files.size(run.resolve("keeper.log")) < 4096, "a new keeper.log");
        second.stop(Duration.ZERO);
    }
}
