package org.attenuator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The launcher finds {@code --deny-log [FILE]} as the command line parses it, before logging starts. */
class DenyLogOptionTest {

    private static Optional<Path> file(String... args) {
        return DenyLogOption.file(args, Map.of(), false, "/home/u");
    }

    @Test
    void valueDefaultAndSeparator() {
        assertEquals(Optional.of(Path.of("/tmp/d.json")), file("run", "--deny-log", "/tmp/d.json", "--", "ls"));
        assertEquals(Optional.of(Path.of("/tmp/d.json")), file("agent", "--socket", "s", "--deny-log=/tmp/d.json"));
        assertEquals(Optional.of(Path.of("/home/u/.local/state/attenuator/log/denylog.jsonl")),
                file("run", "--deny-log", "--audit", "--", "ls"));
        assertEquals(Optional.of(Path.of("/home/u/.local/state/attenuator/log/denylog.jsonl")), file("run", "--deny-log"));
        assertEquals(Optional.empty(), file("run", "--", "prog", "--deny-log", "x"), "after --: the target's own argument");
        assertEquals(Optional.empty(), file("compile", "--deny-log", "x"));
        assertEquals(Optional.empty(), file());
        assertEquals(Path.of("/var/lib/attenuator/log/denylog.jsonl"), DenyLogOption.defaultFile(Map.of(), true, "/root"));
        assertEquals(Path.of("/h/log/denylog.jsonl"), DenyLogOption.defaultFile(Map.of("ATTENUATOR_HOME", "/h"), true, "/root"));
    }
}
