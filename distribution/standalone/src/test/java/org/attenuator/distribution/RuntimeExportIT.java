package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;

/**
 * A program learned on the host ({@code run --learn}) and its export used, unchanged, as
 * {@code linux.seccomp} of a real runc bundle that runs the same program. Without the runtime's
 * base syscalls runc itself is denied before the program starts; with {@code --runtime runc} (the
 * default) the program runs as it did while learning. busybox from a busybox-static rootfs, and
 * Debian's redis-server (the host's /usr bind-mounted) serving redis-cli over a unix socket.
 */
class RuntimeExportIT extends DistributionTest {

    /** A shell, a directory listing, a file read: busybox applets in one process tree. */
    private static final String BUSYBOX_SCRIPT = "echo hello; ls /; cat /proc/self/comm";
    /**
     * redis-server on a unix socket ($1), logging to stdout, pinged until up (at most 60 s: it starts
     * learned, every call through the supervisor, on a loaded machine), one SET and GET, shut down.
     */
    private static final String REDIS_SCRIPT = "redis-server --port 0 --unixsocket \"$1\" --save '' --appendonly no"
            + " --loglevel warning & i=0; until redis-cli -s \"$1\" ping 2>/dev/null; do i=$((i+1));"
            + " [ $i -gt 600 ] && exit 9; sleep 0.1; done; redis-cli -s \"$1\" set k learned; redis-cli -s \"$1\" get k;"
            + " redis-cli -s \"$1\" shutdown nosave; wait";

    @Test
    void busyboxLearnedOnTheHostRunsInRuncUnderItsRuncExport() throws Exception {
        Path home = TempHome.in(dir);
        Result learned = Distribution.run(home, "run", "--learn=bb", "--", "/bin/busybox", "sh", "-c", BUSYBOX_SCRIPT);
        assertEquals(0, learned.status(), learned::toString);
        assertTrue(learned.out().startsWith("hello\n"), learned::toString);

        try (RuncBundle bundle = new RuncBundle(dir, false)) {
            Result asLearned = bundle.seccomp(export(home, "bb", "--runtime", "none")).run("/bin/busybox", "sh", "-c", BUSYBOX_SCRIPT);
            assertNotEquals(0, asLearned.status(), "runc's own syscalls are denied: " + asLearned);
            assertTrue(asLearned.err().contains("operation not permitted"), asLearned::toString);

            Result runc = bundle.seccomp(export(home, "bb")).run("/bin/busybox", "sh", "-c", BUSYBOX_SCRIPT);
            assertEquals(0, runc.status(), runc::toString);
            assertTrue(runc.out().startsWith("hello\n"), runc::toString);
            assertTrue(runc.out().contains("proc\n") && runc.out().strip().endsWith("cat"), runc::toString);

            // the SPO export's learned resource starts the same container: its spec is an OCI profile with the base inline
            JsonNode spo = new ObjectMapper().readTree(export(home, "bb", "--format", "spo"));
            assertEquals("runc-v1.1.5", spo.at("/items/1/spec/baseProfileName").asText(), spo::toString);
            Result fromSpo = bundle.seccomp(spo.at("/items/1/spec").toString()).run("/bin/busybox", "sh", "-c", BUSYBOX_SCRIPT);
            assertEquals(0, fromSpo.status(), fromSpo::toString);
            assertEquals(runc.out(), fromSpo.out());
        }
    }

    @Test
    void redisLearnedOnTheHostServesInRuncUnderItsRuncExport() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server is not installed (.ci/run installs it)");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli is not installed (.ci/run installs redis-tools)");
        Path home = TempHome.in(dir);
        Result learned = Distribution.run(home, "run", "--learn=redis", "--", "/bin/busybox", "sh", "-c", REDIS_SCRIPT,
                "sh", dir.resolve("redis.sock").toString());
        assertEquals(0, learned.status(), learned::toString);
        assertTrue(learned.out().contains("PONG\nOK\nlearned\n"), learned::toString);

        try (RuncBundle bundle = new RuncBundle(dir, true)) {
            Result runc = bundle.seccomp(export(home, "redis", "--runtime", "runc"))
                    .run("/bin/busybox", "sh", "-c", REDIS_SCRIPT, "sh", "/tmp/redis.sock");
            assertEquals(0, runc.status(), runc::toString);
            assertTrue(runc.out().contains("PONG\nOK\nlearned\n"), runc::toString);
            assertTrue(runc.out().contains("Redis is now ready to exit"), runc::toString);
        }
    }

    private static String export(Path home, String key, String... options) throws Exception {
        String[] args = new String[3 + options.length];
        args[0] = "profile";
        args[1] = "export";
        System.arraycopy(options, 0, args, 2, options.length);
        args[2 + options.length] = key;
        Result export = Distribution.run(home, args);
        assertEquals(0, export.status(), export::toString);
        return export.out();
    }
}
