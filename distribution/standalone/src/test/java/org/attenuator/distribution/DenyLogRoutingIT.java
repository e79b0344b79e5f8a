package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run --deny-log}: the calls the profile's filter denies or kills reach the deny-log (the
 * supervisor answers them instead of the kernel), and the target sees exactly what the kernel would
 * have given it: each rule's own errno, argument conditions honoured, a kill by SIGSYS.
 */
class DenyLogRoutingIT {

    private static final Path SOURCE = Path.of("src/test/resources/org/attenuator/distribution/denied_calls.c");
    private static final Path DODGER = Path.of("src/test/resources/org/attenuator/distribution/sigsys_dodger.c");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KILL_UNAME = """
            {"defaultAction": "SCMP_ACT_ALLOW",
             "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]}
            """;

    @TempDir
    Path dir;

    @Test
    void eachRuleGivesItsOwnErrnoAndEveryDenialIsLogged() throws Exception {
        Path target = Distribution.compile(SOURCE, dir.resolve("denied_calls"));
        Path profile = Files.writeString(dir.resolve("errnos.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                              {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 95},
                              {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 16,
                               "args": [{"index": 1, "value": 12, "op": "SCMP_CMP_EQ"}]}]}
                """);
        Path log = dir.resolve("deny.jsonl");
        Files.createDirectories(dir.resolve("b"));

        Result run = Distribution.run(home(), "run", "--deny-log=" + log, "--profile", profile.toString(), "--",
                target.toString(), dir.toString());
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().startsWith("mkdir 13\nrmdir 95\nkill0 0\nkill12 16\n"),
                "EACCES, EOPNOTSUPP, the signal 0 the rule does not match allowed, EBUSY: " + run);
        assertEquals(List.of("mkdir " + dir.resolve("a") + " EACCES profile", "rmdir " + dir.resolve("b") + " EOPNOTSUPP profile",
                "kill SIGUSR2 EBUSY profile"), denials(log));
        assertTrue(Files.notExists(dir.resolve("a")) && Files.isDirectory(dir.resolve("b")), "no denied call had an effect");
    }

    @Test
    void aKillRuleKillsBySigsysAndIsLogged() throws Exception {
        Path profile = Files.writeString(dir.resolve("kill-uname.json"), KILL_UNAME);
        Path log = dir.resolve("deny.jsonl");

        Result run = Distribution.run(home(), "run", "--deny-log=" + log, "--profile", profile.toString(), "--",
                "/bin/uname");
        assertEquals(159, run.status(), run::toString);
        assertEquals("", run.out(), "killed before uname printed anything");
        assertTrue(run.err().contains("/bin/uname (pid ") && run.err().contains(
                ") was killed by SIGSYS: system call uname on x86_64 (a kill rule of its profile)"), run::toString);
        List<JsonNode> kills = entries(log).stream().filter(e -> e.path("event").asText().equals("kill")).toList();
        assertEquals(1, kills.size(), () -> "entries: " + Distribution.read(log));
        assertEquals("uname", kills.get(0).path("syscall").asText());
        assertEquals("profile", kills.get(0).path("decidedBy").asText());
    }

    /**
     * The kernel's kill cannot be caught, ignored or blocked; a signal can. A target that tries must
     * still die at the call (then by SIGKILL, status 137) and never run past it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"catch", "ignore", "block"})
    void aTargetThatDodgesSigsysStillDiesAtTheCall(String how) throws Exception {
        Path target = Distribution.compile(DODGER, dir.resolve("sigsys_dodger"));
        Path profile = Files.writeString(dir.resolve("kill-uname.json"), KILL_UNAME);

        Result run = Distribution.run(home(), "run", "--deny-log=" + dir.resolve("deny.jsonl"), "--profile",
                profile.toString(), "--", target.toString(), how);
        assertEquals(137, run.status(), run::toString);
        assertEquals("", run.out(), "neither the handler nor the code after uname ran: " + run);
    }

    @Test
    void theDefaultProfilesDenialsFillTheDefaultFile() throws Exception {
        Path target = Distribution.compile(SOURCE, dir.resolve("denied_calls"));
        Path home = home();

        Result run = Distribution.run(home, "run", "--deny-log", "--", target.toString(), dir.toString());
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("acct 1\n"), "docker-default denies acct with EPERM: " + run);
        Path log = home.resolve("log/denylog.jsonl");
        assertTrue(run.err().contains("attenuator: deny-log: " + log), run::toString);
        assertEquals(List.of("acct " + dir.resolve("c") + " EPERM profile"), denials(log));
    }

    private Path home() throws Exception {
        return TempHome.in(dir);
    }

    /** "SYSCALL ARG ERRNO DECIDED-BY" of each deny entry: the path, else the signal. */
    private static List<String> denials(Path log) throws Exception {
        List<String> seen = new ArrayList<>();
        for (JsonNode e : entries(log)) {
            if (e.path("event").asText().equals("deny")) {
                JsonNode args = e.path("args");
                seen.add(e.path("syscall").asText() + " " + (args.has("path") ? args.path("path").asText() : args.path("sig").asText())
                        + " " + e.path("errno").asText() + " " + e.path("decidedBy").asText());
            }
        }
        return seen;
    }

    private static List<JsonNode> entries(Path log) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            all.add(JSON.readTree(line));
        }
        return all;
    }
}
