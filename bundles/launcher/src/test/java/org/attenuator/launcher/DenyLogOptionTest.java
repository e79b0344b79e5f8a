package org.attenuator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default deny-log file, under Attenuator's home. */
class DenyLogOptionTest {

    @Test
    void defaultFileIsUnderTheHome() {
        assertEquals(Path.of("/home/u/.local/state/attenuator/log/denylog.jsonl"),
                DenyLogOption.defaultFile(Map.of(), false, "/home/u"));
        assertEquals(Path.of("/var/lib/attenuator/log/denylog.jsonl"), DenyLogOption.defaultFile(Map.of(), true, "/root"));
        assertEquals(Path.of("/h/log/denylog.jsonl"), DenyLogOption.defaultFile(Map.of("ATTENUATOR_HOME", "/h"), true, "/root"));
    }
}
