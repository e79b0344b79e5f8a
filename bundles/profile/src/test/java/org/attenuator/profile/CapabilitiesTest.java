package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --cap-add} / {@code --cap-drop} as Docker applies them. */
class CapabilitiesTest {

    @Test
    void dropsThenAddsNamesInAnyCaseWithOrWithoutPrefix() {
        Set<String> expected = new HashSet<>(Capabilities.DOCKER_DEFAULT);
        expected.remove("CAP_CHOWN");
        expected.remove("CAP_NET_RAW");
        expected.add("CAP_SYS_ADMIN");
        assertEquals(expected, Capabilities.tweak(Capabilities.DOCKER_DEFAULT, List.of("sys_admin"),
                List.of("CAP_CHOWN", "Net_Raw")));
    }

    @Test
    void allInAddsIsEveryCapabilityButTheDropped() {
        Set<String> caps = Capabilities.tweak(Capabilities.DOCKER_DEFAULT, List.of("ALL"), List.of("sys_admin"));
        assertEquals(Capabilities.ALL.size() - 1, caps.size());
        assertTrue(!caps.contains("CAP_SYS_ADMIN") && caps.contains("CAP_SYS_PTRACE"));
    }

    @Test
    void allInDropsIsOnlyTheAdded() {
        assertEquals(Set.of("CAP_KILL"), Capabilities.tweak(Capabilities.DOCKER_DEFAULT, List.of("kill"), List.of("all")));
    }

    @Test
    void unknownNameIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capabilities.tweak(Capabilities.DOCKER_DEFAULT, List.of("SYS_WIZARD"), List.of()));
        assertEquals("unknown capability 'SYS_WIZARD'", e.getMessage());
    }

    @Test
    void maskIsTheKernelsBitNumbering() {
        assertEquals(0x3L, Capabilities.mask(Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE")));
        assertEquals(1L << 21, Capabilities.mask(Set.of("CAP_SYS_ADMIN")));
        assertEquals(Capabilities.DOCKER_DEFAULT, Capabilities.ofMask(Capabilities.mask(Capabilities.DOCKER_DEFAULT)));
    }
}
