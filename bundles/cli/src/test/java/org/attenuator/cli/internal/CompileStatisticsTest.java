package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.attenuator.profile.ProfileCompiler;
import org.junit.jupiter.api.Test;

/** {@code compile --format stats}: lines a person reads (no Java maps), and {@code --json} only with statistics. */
class CompileStatisticsTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private int compile(String... args) throws CommandException {
        Terminal terminal = new Terminal(InputStream.nullInputStream(), new PrintStream(stdout), System.err);
        return new CompileCommand(ProfileCompiler.create()).run(Arguments.parse(List.of(args), CompileCommand.SPEC), terminal);
    }

    @Test
    void textStatisticsNameEachArchitectureOnALineOfItsOwn() throws Exception {
        assertEquals(0, compile("--arch", "x86_64,x86", "--format", "stats", "builtin:docker-default"));
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("{") || text.contains("="), text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).startsWith("instructions: "), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("SCMP_ARCH_X86_64: \\d+ syscalls with rules, \\d+ of them"
                + " without argument checks")), text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("SCMP_ARCH_X86: ")), text);
    }

    @Test
    void jsonIsTheStatisticsAndNotAnotherFormat() {
        CommandException e = assertThrows(CommandException.class,
                () -> compile("--format", "asm", "--json", "builtin:docker-default"));
        assertEquals(CommandException.BAD_INPUT, e.status());
        assertEquals("--json prints statistics: not with --format asm", e.getMessage());
    }
}
