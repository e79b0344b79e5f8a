package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line's grammar as a user types it: options end at the first positional (for run,
 * the program), an optional value is taken only after '=', also by the deny-log routing, and the
 * Karaf console's order (options before the action word) works here too.
 */
class CommandLineGrammarIT {

    @RegisterExtension
    final TempHome temp = new TempHome();

    @Test
    void theProgramsOwnOptionsAreTheProgramsOwn() throws Exception {
        Files.writeString(temp.dir().resolve("listed"), "x");
        Result ls = Distribution.run(temp.home(), "run", "ls", "-l", temp.dir().toString());
        assertEquals(0, ls.status(), ls::toString);
        assertTrue(ls.out().contains(" listed\n"), ls::toString);

        Result echo = Distribution.run(temp.home(), "run", "--kernel-only", "/bin/echo", "--profile", "x", "--help");
        assertEquals(0, echo.status(), echo::toString);
        assertEquals("--profile x --help\n", echo.out());

        Result separated = Distribution.run(temp.home(), "run", "--", "/bin/echo", "--", "-n");
        assertEquals("-- -n\n", separated.out(), separated::toString);
    }

    @Test
    void aBareDenyLogTakesTheDefaultFileAndNotTheProgram() throws Exception {
        Result run = Distribution.run(temp.home(), "run", "--deny-log", "echo", "hello");
        assertEquals(0, run.status(), run::toString);
        assertEquals("hello\n", run.out());
        assertTrue(Files.isRegularFile(temp.home().resolve("log/denylog.jsonl")), run::toString);
        assertFalse(Files.exists(Path.of("echo")), "no file named after the program");
    }

    @Test
    void denyLogEqualsNamesTheFileAndAProgramsOwnDenyLogIsLeftAlone() throws Exception {
        Path named = temp.dir().resolve("named.jsonl");
        Result run = Distribution.run(temp.home(), "run", "--deny-log=" + named, "/bin/true");
        assertEquals(0, run.status(), run::toString);
        assertTrue(Files.isRegularFile(named), run::toString);

        Path programs = temp.dir().resolve("programs.jsonl");
        Result echo = Distribution.run(temp.home(), "run", "/bin/echo", "--deny-log=" + programs);
        assertEquals("--deny-log=" + programs + "\n", echo.out(), echo::toString);
        assertFalse(Files.exists(programs), "the launcher did not take the program's argument for its own");
        assertFalse(Files.exists(temp.home().resolve("log/denylog.jsonl")), echo::toString);
    }

    @Test
    void theOldLearnHabitIsRefusedNotRun() throws Exception {
        Result run = Distribution.run(temp.home(), "run", "--learn", "web", "--", "/bin/true");
        assertEquals(2, run.status(), run::toString);
        assertEquals("attenuator run: --learn takes its value only after '=' (--learn=web); to run web, put -- before it\n", run.err());
    }

    @Test
    void profileOptionsWorkBeforeAndAfterTheActionWordAndNotAfterTheKey() throws Exception {
        Result learn = Distribution.run(temp.home(), "run", "--learn=k", "/bin/true");
        assertEquals(0, learn.status(), learn::toString);
        Result after = Distribution.run(temp.home(), "profile", "export", "--format", "spo", "k");
        Result before = Distribution.run(temp.home(), "profile", "--format=spo", "export", "k");
        assertEquals(0, after.status(), after::toString);
        assertTrue(after.out().contains("\"SeccompProfile\""), after::toString);
        assertEquals(after, before);

        Result late = Distribution.run(temp.home(), "profile", "export", "k", "--format", "spo");
        assertEquals(2, late.status(), late::toString);
        assertEquals(List.of("attenuator profile: option --format after the arguments: options come first "
                + "(attenuator profile export [OPTIONS] KEY)"), late.err().lines().toList());
    }
}
