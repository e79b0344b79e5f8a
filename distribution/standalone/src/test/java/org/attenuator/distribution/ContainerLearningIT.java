package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.attenuator.distribution.Distribution.Daemon;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.attenuator.testsupport.Waits;
import org.junit.jupiter.api.Test;

/**
 * Learning inside a runc container, as docs/learning.md tells a user to: {@code attenuator agent}
 * with a home of its own, {@code profile template --learn KEY --runtime runc} as the bundle's
 * {@code linux.seccomp}, the container runs busybox commands; then {@code profile export KEY
 * --runtime runc} enforces in the same bundle with no agent: the same commands succeed, and
 * what the container never did is denied.
 */
class ContainerLearningIT extends DistributionTest {

    private static final String SCRIPT = "echo hello; ls /; cat /proc/self/comm";

    @Test
    void learnedThroughTheAgentInRuncThenEnforcedInRuncWithoutIt() throws Exception {
        Path home = TempHome.in(dir);
        Path socket = dir.resolve("agent.sock");
        Result template = Distribution.run(home, "profile", "template", "--learn", "box", "--runtime", "runc",
                "--socket", socket.toString());
        assertEquals(0, template.status(), template::toString);

        try (RuncBundle bundle = new RuncBundle(dir, false)) {
            Daemon agent = Distribution.start(dir, home, () -> Files.exists(socket), "agent", "--socket", socket.toString());
            started.add(agent.process());
            Result learning = bundle.seccomp(template.out()).run("/bin/sh", "-c", SCRIPT);
            assertEquals(0, learning.status(), () -> learning + "\nagent: " + agent.stderrSoFar());
            assertTrue(learning.out().startsWith("hello\n") && learning.out().contains("proc\n"), learning::toString);
            // the agent stores the run when the container's tree ends
            Waits.until(() -> Files.exists(home.resolve("learned/box.json")), Duration.ofSeconds(30),
                    agent::stderrSoFar);
            agent.stop();

            // what the template allowed unasked (openat: runc's base) is learned too, so the profile stands alone
            Set<String> learned = allowed(Distribution.run(home, "profile", "export", "--runtime", "none", "box").out());
            assertTrue(learned.containsAll(Set.of("openat", "getdents64", "write", "execve")), learned::toString);
            assertFalse(learned.contains("mkdir") || learned.contains("mkdirat"), learned::toString);

            Result export = Distribution.run(home, "profile", "export", "--runtime", "runc", "box");
            assertEquals(0, export.status(), export::toString);
            assertFalse(export.out().contains("listenerPath") || export.out().contains("SCMP_ACT_NOTIFY"), export.out());
            bundle.seccomp(export.out());
            Result enforced = bundle.run("/bin/sh", "-c", SCRIPT);
            assertEquals(0, enforced.status(), enforced::toString);
            assertEquals(learning.out(), enforced.out());

            Result never = bundle.run("/bin/sh", "-c", "mkdir /made; echo mkdir=$?");
            assertEquals("mkdir=1\n", never.out(), never::toString);
            assertTrue(never.err().contains("Operation not permitted"), never::toString);
            assertFalse(Files.exists(bundle.rootfs().resolve("made")), "the denied mkdir did not happen");
        }
    }

    @Test
    void aTemplateNeedsAKeyARuntimeAndASocket() throws Exception {
        Path home = TempHome.in(dir);
        Result noKey = Distribution.run(home, "profile", "template", "--runtime", "runc", "--socket", "/run/a.sock");
        assertEquals(2, noKey.status(), noKey::toString);
        assertEquals("attenuator profile: template: --learn KEY is required\n", noKey.err());
        Result none = Distribution.run(home, "profile", "template", "--learn", "k", "--runtime", "none", "--socket", "/run/a.sock");
        assertEquals(2, none.status(), none::toString);
        assertEquals("attenuator profile: --runtime must be runc or crun, not none\n", none.err());
        Result export = Distribution.run(home, "profile", "export", "--runtime", "docker", "k");
        assertEquals(2, export.status(), export::toString);
        assertEquals("attenuator profile: --runtime must be runc, crun or none, not docker\n", export.err());
    }

    private static Set<String> allowed(String profile) throws Exception {
        Set<String> names = new HashSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(profile).get("syscalls")) {
            if (entry.get("action").asText().equals("SCMP_ACT_ALLOW")) {
                entry.get("names").forEach(n -> names.add(n.asText()));
            }
        }
        return names;
    }
}
