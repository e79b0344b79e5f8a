package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void optionsFlagsPositionalsAndCommand() throws CommandException {
        Arguments args = Arguments.parse(
                List.of("profile.json", "--arch", "x86_64", "--format=asm", "--kernel-only", "--", "ls", "--arch", "-l"),
                Set.of("--arch", "--format"), Set.of("--kernel-only"));
        assertEquals(List.of("profile.json"), args.positionals());
        assertEquals(Optional.of("x86_64"), args.option("--arch"));
        assertEquals(Optional.of("asm"), args.option("--format"));
        assertTrue(args.flag("--kernel-only"));
        assertTrue(args.hasCommand());
        assertEquals(List.of("ls", "--arch", "-l"), args.command());
    }

    @Test
    void optionalValueTakesTheNextWordOnlyIfItIsNotAnOption() throws CommandException {
        Set<String> optional = Set.of("--deny-log");
        Arguments withFile = Arguments.parse(List.of("--deny-log", "d.json", "--"), Set.of(), Set.of(), optional);
        assertEquals(Optional.of("d.json"), withFile.option("--deny-log"));
        Arguments bare = Arguments.parse(List.of("--deny-log", "--", "true"), Set.of(), Set.of(), optional);
        assertEquals(Optional.of(""), bare.option("--deny-log"));
        assertEquals(List.of("true"), bare.command());
    }

    @Test
    void unknownOptionMissingValueAndExtraPositionalAreUsageErrors() {
        CommandException unknown = assertThrows(CommandException.class,
                () -> Arguments.parse(List.of("--bogus"), Set.of(), Set.of()));
        assertEquals("unknown option --bogus", unknown.getMessage());
        assertEquals(2, unknown.status());
        CommandException missing = assertThrows(CommandException.class,
                () -> Arguments.parse(List.of("--arch"), Set.of("--arch"), Set.of()));
        assertEquals("--arch needs a value", missing.getMessage());
        assertThrows(CommandException.class,
                () -> Arguments.parse(List.of("a", "b"), Set.of(), Set.of()).atMostPositionals(1));
    }

    @Test
    void repeatedOptionsKeepEveryValue() throws CommandException {
        Arguments args = Arguments.parse(List.of("--keep-fd", "3", "--keep-fd", "4"), Set.of("--keep-fd"), Set.of());
        assertEquals(List.of("3", "4"), args.options("--keep-fd"));
        assertFalse(args.hasCommand());
    }
}
