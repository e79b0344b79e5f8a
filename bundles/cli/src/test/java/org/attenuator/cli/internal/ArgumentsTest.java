package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The grammar of every subcommand, on the real specs. */
class ArgumentsTest {

    private static Arguments run(String... args) throws CommandException {
        return Arguments.parse(List.of(args), RunSpec.SPEC);
    }

    @Test
    void optionsEndAtTheProgram() throws CommandException {
        assertEquals(List.of("ls", "-l"), run("ls", "-l").positionals());
        assertEquals(List.of("ls", "--profile", "x"), run("--kernel-only", "ls", "--profile", "x").positionals());
        assertEquals(List.of("ls", "--", "-l"), run("--", "ls", "--", "-l").positionals());
        assertEquals(Optional.of("p.json"), run("--profile", "p.json", "true").option("--profile"));
        assertEquals(Optional.of("p.json"), run("--profile=p.json", "true").option("--profile"));
    }

    @Test
    void anOptionalValueIsTakenOnlyAfterEquals() throws CommandException {
        Arguments bare = run("--deny-log", "echo", "hello");
        assertEquals(Optional.of(""), bare.option("--deny-log"));
        assertEquals(List.of("echo", "hello"), bare.positionals());
        assertEquals(Optional.of("d.json"), run("--deny-log=d.json", "echo").option("--deny-log"));
        assertEquals(List.of("3", "4"), Arguments.parse(List.of("--uid", "3", "--uid=4", "--socket", "s"),
                AgentCommand.SPEC).options("--uid"));
    }

    @Test
    void profileOptionsGoBeforeOrAfterTheActionWord() throws CommandException {
        for (List<String> words : List.of(List.of("export", "--format", "spo", "KEY"),
                List.of("--format", "spo", "export", "KEY"), List.of("--format=spo", "export", "KEY"))) {
            Arguments a = Arguments.parse(words, ProfileSpec.SPEC);
            assertEquals("export", a.action(), words::toString);
            assertEquals(Optional.of("spo"), a.option("--format"), words::toString);
            assertEquals(List.of("KEY"), a.positionals(), words::toString);
        }
        assertTrue(Arguments.parse(List.of("export", "--help"), ProfileSpec.SPEC).help());
        assertTrue(Arguments.parse(List.of("--help"), ProfileSpec.SPEC).help());
    }

    /** Each bad command line, and the one line it gets. */
    @Test
    void usageErrorsAreOneLineWithStatusTwo() {
        record Case(CommandSpec spec, List<String> args, String message) {
        }
        for (Case c : List.of(
                new Case(RunSpec.SPEC, List.of("--bogus", "ls"), "unknown option --bogus (see attenuator run --help)"),
                new Case(RunSpec.SPEC, List.of("--profile"), "--profile needs a value: --profile PROFILE"),
                new Case(RunSpec.SPEC, List.of("--profile=", "ls"), "--profile needs a value: --profile PROFILE"),
                new Case(RunSpec.SPEC, List.of("--kernel-only=yes", "ls"), "--kernel-only takes no value"),
                new Case(RunSpec.SPEC, List.of("--deny-log=", "ls"),
                        "--deny-log= needs a value after '=' (--deny-log alone takes the default)"),
                new Case(RunSpec.SPEC, List.of("--learn", "web", "--", "nginx"),
                        "--learn takes its value only after '=' (--learn=web); to run web, put -- before it"),
                new Case(RunSpec.SPEC, List.of("--learn", "web", "--enforce-after", "1", "--", "nginx"),
                        "--learn takes its value only after '=' (--learn=web); to run web, put -- before it"),
                new Case(CompileCommand.SPEC, List.of("p.json", "--format", "stats"),
                        "option --format after the arguments: options come first (attenuator compile [OPTIONS] PROFILE)"),
                new Case(CompileCommand.SPEC, List.of(), "missing PROFILE (attenuator compile [OPTIONS] PROFILE)"),
                new Case(CompileCommand.SPEC, List.of("a", "b"),
                        "unexpected argument 'b' (attenuator compile [OPTIONS] PROFILE)"),
                new Case(ProfileSpec.SPEC, List.of("--runtime", "runc", "list"), "--runtime does not apply to profile list"),
                new Case(ProfileSpec.SPEC, List.of("diff", "-o", "m.json", "a", "b"), "-o does not apply to profile diff"),
                new Case(ProfileSpec.SPEC, List.of("template", "--learn"), "--learn needs a value: --learn KEY"),
                new Case(ProfileSpec.SPEC, List.of("remove", "k"),
                        "unknown action 'remove': list|show|export|template|diff|merge ..."),
                new Case(ProfileSpec.SPEC, List.of(), "missing action: list|show|export|template|diff|merge ..."),
                new Case(DoctorCommand.SPEC, List.of("--verbose=1"), "unknown option --verbose (see attenuator doctor --help)"),
                new Case(DoctorCommand.SPEC, List.of("--json=1"), "--json takes no value"))) {
            CommandException e = assertThrows(CommandException.class, () -> Arguments.parse(c.args(), c.spec()),
                    c.args()::toString);
            assertEquals(c.message(), e.getMessage(), c.args()::toString);
            assertEquals(2, e.status());
        }
    }
}
