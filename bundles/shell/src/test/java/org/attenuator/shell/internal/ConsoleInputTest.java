package org.attenuator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Arch;
import org.junit.jupiter.api.Test;

/** What the commands accept as typed on the console. */
class ConsoleInputTest {

    @Test
    void registersAreUnsigned64BitDecimalOrHex() {
        assertArrayEquals(new long[] {0, 255, -1, -1}, Arguments.registers("0, 0xff,18446744073709551615,-1"));
        assertEquals("bad register value x1: decimal or 0x hex",
                assertThrows(IllegalArgumentException.class, () -> Arguments.registers("x1")).getMessage());
    }

    @Test
    void answersAreWrittenAsInProfiles() {
        assertEquals(Decision.allow(), Answers.parse("allow"));
        assertEquals(Decision.kill(), Answers.parse("kill"));
        assertEquals(Decision.deny(1), Answers.parse("errno:EPERM"));
        assertThrows(IllegalArgumentException.class, () -> Answers.parse("deny"));
    }

    @Test
    void aTreeOrAllButNotBothNorNeither() {
        assertEquals(Optional.of("t1"), TreeSelection.of("t1", false));
        assertEquals(Optional.empty(), TreeSelection.of(null, true));
        assertThrows(IllegalArgumentException.class, () -> TreeSelection.of("t1", true));
        assertThrows(IllegalArgumentException.class, () -> TreeSelection.of(null, false));
    }

    @Test
    void architecturesByTheirShortNames() {
        assertEquals(List.of(Arch.X86_64, Arch.AARCH64), Arches.parseList("x86_64, aarch64"));
        assertEquals(List.of("x86_64", "x86", "x32", "aarch64"), Arches.names());
        assertThrows(IllegalArgumentException.class, () -> Arches.parse("mips"));
    }
}
