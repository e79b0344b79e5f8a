package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentCommandTest {

    @Test
    void uidsAreCommaSeparatedAndRepeatable() throws CommandException {
        assertEquals(Set.of(1000, 1001, 65534), AgentCommand.uids(List.of("1000,1001", "65534")));
    }

    @Test
    void aProfileDirMustBeADirectory() {
        CommandException e = assertThrows(CommandException.class, () -> AgentCommand.profileDirs(List.of("/etc/hostname")));
        assertEquals(CommandException.BAD_INPUT, e.status());
        assertEquals("--profile-dir /etc/hostname: not a directory", e.getMessage());
    }

    @Test
    void badUidIsBadInput() {
        CommandException e = assertThrows(CommandException.class, () -> AgentCommand.uids(List.of("root")));
        assertEquals(CommandException.BAD_INPUT, e.status());
    }
}
