package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's help, as a user asks for it ({@code COMMAND --help}, {@code help COMMAND}), says what
 * each option does and gives examples; the man page the distribution carries has every command
 * {@code --help} lists. (That every spec has descriptions and examples: HelpTextTest.)
 */
class HelpIT {

    @TempDir
    static Path dir;
    static Path home;
    static List<String> commands;

    @BeforeAll
    static void commandList() throws Exception {
        home = TempHome.in(dir);
        Result usage = Distribution.run(home, "--help");
        assertEquals(0, usage.status(), usage::toString);
        commands = new ArrayList<>();
        boolean inList = false;
        for (String line : usage.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.isEmpty()) {
                break;
            } else if (inList && line.startsWith("  ") && !line.startsWith("   ")) {
                commands.add(line.strip().split(" ")[0]);
            }
        }
        assertTrue(commands.containsAll(List.of("run", "compile", "explain", "profile", "doctor", "agent", "completion")),
                commands::toString);
    }

    @Test
    void runHelpSaysWhatTheStrictModesDo() throws Exception {
        Result run = Distribution.run(home, "help", "run");
        assertEquals(run, Distribution.run(home, "run", "--help"));
        String help = run.out();
        assertTrue(help.contains("--apply-point SYSCALL,..\n                        The first call of one of these"), help);
        assertTrue(help.contains("--enforce-after N     With --learn: once N runs in a row added nothing"), help);
        assertTrue(help.contains("--audit               With --deny-log: allow what the profile would deny"), help);
        assertTrue(help.contains("--deny-log[=FILE]"), help);
        Result action = Distribution.run(home, "profile", "export", "--help");
        assertTrue(action.out().startsWith("usage: attenuator profile export [OPTIONS] KEY\n"), action::toString);
        assertEquals(action, Distribution.run(home, "help", "profile", "export"));
    }

    @Test
    void aProgramsOwnHelpIsTheProgramsOwn() throws Exception {
        Result echo = Distribution.run(home, "run", "--kernel-only", "/bin/echo", "x", "--help");
        assertEquals("x --help\n", echo.out(), echo::toString);
    }

    @Test
    void theManPageHasEveryCommandAndOption() throws Exception {
        Path man = Path.of(System.getProperty("attenuator.dist"), "man/man1/attenuator.1");
        String page = Files.readString(man);
        assertTrue(page.startsWith(".TH ATTENUATOR 1 "), page);
        for (String command : commands) {
            assertTrue(page.contains(".SS \"attenuator " + command), command);
        }
        assertTrue(page.contains("\\fB\\-\\-apply\\-point\\fR \\fISYSCALL,..\\fR\nThe first call"), page);
        assertFalse(page.lines().anyMatch(l -> l.startsWith(".") && l.length() > 1 && Character.isDigit(l.charAt(1))),
                "no text line read as a troff request");
    }
}
