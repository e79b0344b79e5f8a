package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deny-log tells what each denied call was given, through the distribution as a user runs it:
 * a target that reuses its path buffer for two mkdirs, overwrites its sockaddr right after
 * connect, and exits at once. Each entry must show the arguments of its own call.
 */
class DenyLogArgumentsIT {

    private static final Path SOURCE = Path.of("src/test/resources/org/attenuator/distribution/reused_buffers.c");

    @TempDir
    Path dir;

    @Test
    void eachEntryShowsItsOwnCallsArgumentsEvenWhenTheTargetIsGone() throws Exception {
        Path target = Distribution.compile(SOURCE, dir.resolve("reused_buffers"));
        Path profile = Files.writeString(dir.resolve("notify.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat", "connect"], "action": "SCMP_ACT_NOTIFY"}]}
                """);
        Path log = dir.resolve("deny.jsonl");
        Path home = TempHome.in(dir);

        Result run = Distribution.run(home, "run", "--deny-log=" + log, "--profile", profile.toString(), "--",
                target.toString(), dir.toString());
        assertEquals(0, run.status(), run::toString);
        assertEquals("mkdir dz1 1\nmkdir dz2 1\nconnect 1\n", run.out(), "each call denied with EPERM: " + run);

        List<JsonNode> entries = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            JsonNode e = json.readTree(line);
            if (e.path("event").asText().equals("deny")) {
                entries.add(e);
            }
        }
        List<String> seen = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode args = e.path("args");
            seen.add(e.path("syscall").asText() + " " + (args.has("addr") ? args.path("addr").asText()
                    : args.path("path").asText()) + (e.has("note") ? " (" + e.path("note").asText() + ")" : ""));
        }
        assertEquals(List.of("mkdir " + dir.resolve("dz1"), "mkdir " + dir.resolve("dz2"), "connect inet:127.0.0.1:9"),
                seen, () -> "entries: " + entries);
        assertTrue(Files.notExists(dir.resolve("dz1")));
    }
}
