package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to every command gets one line naming the cause, exit status 2 (or the command's own
 * failure status), never an exception's class name, a library's wording or a stack trace.
 */
class ErrorLinesIT {

    /** A file name that would clear the screen of whoever reads an error line naming it. */
    private static final String HOSTILE_NAME = "evil\u001b[2Jname.json";

    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void files() throws Exception {
        home = TempHome.in(dir);
        Files.writeString(dir.resolve("broken.json"), "{\"defaultAction\": ");
        Files.writeString(dir.resolve("ok.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        Files.writeString(dir.resolve("typo.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"defaultActon\": \"SCMP_ACT_KILL\"}");
        Files.writeString(dir.resolve("two.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n{\"defaultAction\": \"SCMP_ACT_KILL\"}\n");
        Files.writeString(dir.resolve(HOSTILE_NAME), "{\"defaultAction\": ");
        Files.writeString(dir.resolve("unknown-call.json"),
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"nosuchcall\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
    }

    @Test
    void eachBadInputGetsOneLine() throws Exception {
        String d = dir.toString();
        record Case(int status, String line, String... args) {
        }
        for (Case c : List.of(
                new Case(2, "attenuator compile: " + d + "/broken.json:1: malformed JSON: Unexpected end-of-input "
                        + "within/between Object entries", "compile", d + "/broken.json"),
                new Case(2, "attenuator compile: /bin/ls: not UTF-8 text", "compile", "/bin/ls"),
                new Case(2, "attenuator compile: " + d + ": not a regular file (a directory)", "compile", d),
                new Case(1, "attenuator compile: cannot write " + d + "/no/x: no such file or directory", "compile", "-o",
                        d + "/no/x", d + "/ok.json"),
                new Case(2, "attenuator run: a learning key must not be empty", "run", "--profile", "learned:", "true"),
                new Case(2, "attenuator run: profile " + d + "/unknown-call.json: syscalls[0].names[0]: unknown system call "
                        + "\"nosuchcall\" (no architecture has it)", "run", "--profile", d + "/unknown-call.json", "true"),
                new Case(2, "attenuator run: unknown option --bogus (see attenuator run --help)", "run", "--bogus", "true"),
                new Case(2, "attenuator run: refusing " + d + "/deny\\x1b[2J.jsonl: a deny-log path may not contain [ (the "
                        + "log rotation reads it as a pattern)", "run", "--deny-log=" + d + "/deny\u001b[2J.jsonl", "true"),
                new Case(2, "attenuator explain: \"nosuch\" is neither a SCMP_ARCH_X86_64 system call nor a number",
                        "explain", d + "/ok.json", "nosuch"),
                new Case(2, "attenuator profile: KEY is empty", "profile", "show", ""),
                new Case(2, "attenuator profile: --json does not apply to profile export", "profile", "export", "--json", "k"),
                new Case(2, "attenuator agent: --socket " + d + ": exists and is not a socket (left as it is)",
                        "agent", "--socket", d),
                new Case(2, "attenuator completion: no completion for shell 'fish' (bash or zsh)", "completion", "fish"),
                new Case(2, "attenuator compile: " + d + "/typo.json:2: defaultActon: unknown field (did you mean "
                        + "defaultAction?)", "compile", d + "/typo.json"),
                new Case(2, "attenuator compile: " + d + "/two.json:2: malformed JSON: text after the end of the document",
                        "compile", d + "/two.json"),
                new Case(2, "attenuator compile: " + d + "/evil\\x1b[2Jname.json:1: malformed JSON: Unexpected "
                        + "end-of-input within/between Object entries", "compile", d + "/" + HOSTILE_NAME),
                new Case(2, "attenuator explain: \"\\x1b]0;owned\\x07read\" is neither a SCMP_ARCH_X86_64 system call nor "
                        + "a number", "explain", d + "/ok.json", "\u001b]0;owned\u0007read"))) {
            Result r = Distribution.run(home, c.args());
            assertEquals(List.of(c.line()), r.err().lines().toList(), () -> List.of(c.args()) + ": " + r);
            assertEquals(c.status(), r.status(), () -> List.of(c.args()) + ": " + r);
        }
    }
}
