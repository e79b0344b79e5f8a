package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AttenuatorPathsTest {
    @Test
    void homeIsTheVariableElseVarLibForRootElseXdgState() {
        assertEquals(Path.of("/srv/att"), AttenuatorPaths.home(Map.of("ATTENUATOR_HOME", " /srv/att "), 1000, "/home/u"));
        assertEquals(Path.of("/var/lib/attenuator"), AttenuatorPaths.home(Map.of(), 0, "/root"));
        assertEquals(Path.of("/home/u/.local/state/attenuator"), AttenuatorPaths.home(Map.of("ATTENUATOR_HOME", " "), 1000, "/home/u"));
    }

    @Test
    void runtimeIsNeverUnderTmp() {
        assertEquals(Path.of("/run/attenuator"), AttenuatorPaths.runtime(Map.of(), 0, "/root"));
        assertEquals(Path.of("/home/u/.local/state/attenuator/run"), AttenuatorPaths.runtime(Map.of(), 1000, "/home/u"));
        assertEquals(Path.of("/home/u/.local/state/attenuator/run"),
                AttenuatorPaths.runtime(Map.of("XDG_RUNTIME_DIR", "relative"), 1000, "/home/u"));
        assertEquals(Path.of("/home/u/.local/state/attenuator/run"),
                AttenuatorPaths.runtime(Map.of("XDG_RUNTIME_DIR", "/nonexistent/run/user/1000"), 1000, "/home/u"));
        assertEquals(Path.of("/proc/attenuator"), AttenuatorPaths.runtime(Map.of("XDG_RUNTIME_DIR", "/proc"), 1000, "/home/u"));
    }
}
