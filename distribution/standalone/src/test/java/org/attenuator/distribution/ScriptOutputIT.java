package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a script gets from {@code --json}, read as a script reads it (a JSON parser on stdout) and
 * checked against what is true: the kernel's own files under /proc, the store a learning run
 * wrote, the program {@code compile} writes, and what the kernel does to a call {@code explain}
 * explains.
 */
class ScriptOutputIT {

    /** Every seccomp action the kernel lists in actions_avail, and the doctor row that probes it. */
    private static final Map<String, String> ACTION_ROWS = Map.of("kill_process", "KILL_PROCESS",
            "kill_thread", "KILL_THREAD", "trap", "TRAP", "errno", "ERRNO", "user_notif", "RET_USER_NOTIF",
            "trace", "TRACE", "log", "LOG", "allow", "ALLOW");

    /** Everything allowed but making directories, which fails with EACCES (13). */
    private static final String NO_MKDIR = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\":"
            + " [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}]}";

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TempHome temp = new TempHome();

    @Test
    void doctorJsonStatesTheKernelAsProcDoes() throws Exception {
        Result doctor = Distribution.run(temp.home(), "doctor", "--json");
        JsonNode report = JSON.readTree(doctor.out());
        assertEquals(report.get("supervisionPossible").asBoolean() ? 0 : 1, doctor.status(), doctor::toString);
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), report.get("kernelRelease").asText());
        assertEquals(uname("-m"), report.get("arch").asText());
        List<String> available = new ArrayList<>();
        for (JsonNode check : report.get("checks")) {
            if (check.get("status").asText().equals("yes")) {
                available.add(check.get("name").asText());
            }
        }
        for (String action : Files.readString(Path.of("/proc/sys/kernel/seccomp/actions_avail")).strip().split(" ")) {
            assertTrue(available.contains(ACTION_ROWS.get(action)), action + " is in actions_avail: " + doctor.out());
        }
    }

    @Test
    void profileListJsonNamesTheBuiltinsAndWhatALearningRunStored() throws Exception {
        Result learning = Distribution.run(temp.home(), "run", "--learn=listed", "--", "/bin/true");
        assertEquals(0, learning.status(), learning::toString);
        Result list = Distribution.run(temp.home(), "profile", "list", "--json");
        assertEquals(0, list.status(), list::toString);
        JsonNode profiles = JSON.readTree(list.out());

        assertEquals(temp.home().resolve("learned").toString(), profiles.get("directory").asText());
        assertEquals(List.of("builtin:docker-default", "builtin:docker-20.10"),
                profiles.get("builtin").findValuesAsText("name"));
        assertTrue(profiles.at("/builtin/0/default").asBoolean());
        assertFalse(profiles.at("/builtin/1/default").asBoolean());

        assertEquals(1, profiles.get("learned").size(), list.out());
        JsonNode learned = profiles.at("/learned/0");
        assertEquals("listed", learned.get("key").asText());
        Path file = Path.of(learned.get("file").asText());
        assertEquals(temp.home().resolve("learned").resolve("listed.json"), file);
        assertEquals(1, learned.get("runs").asInt());
        assertEquals(0, learned.get("runsWithoutChange").asInt());
        // as many syscalls as the stored profile allows, one row each in profile show
        Result shown = Distribution.run(temp.home(), "profile", "show", "listed");
        List<String> rows = shown.out().lines().dropWhile(l -> !l.startsWith("SYSCALL")).skip(1).toList();
        assertEquals(rows.size(), learned.get("syscalls").asInt(), shown.out());
        // openat is notified while learning (not in the learning base): this run learned it
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("openat ")), shown.out());
        List<String> stored = new ArrayList<>();
        JSON.readTree(file.toFile()).get("syscalls").forEach(entry -> entry.get("names").forEach(n -> stored.add(n.asText())));
        for (String row : rows) {
            assertTrue(stored.contains(row.split(" ")[0]), row + " is in the file profile list names: " + stored);
        }
    }

    @Test
    void explainJsonSaysWhatTheKernelThenDoes() throws Exception {
        Path profile = Files.writeString(temp.dir().resolve("no-mkdir.json"), NO_MKDIR);
        Result explained = Distribution.run(temp.home(), "explain", "--json", profile.toString(), "mkdir");
        assertEquals(0, explained.status(), explained::toString);
        JsonNode mkdir = JSON.readTree(explained.out());
        assertEquals("mkdir", mkdir.get("syscall").asText());
        assertEquals("SCMP_ACT_ERRNO", mkdir.at("/action/name").asText());
        assertEquals(13, mkdir.at("/action/data").asInt());
        assertEquals("syscalls[0].names[0]", mkdir.at("/decidedBy/origin").asText());
        assertEquals(6, mkdir.get("args").size());
        assertFalse(mkdir.get("path").isEmpty());

        JsonNode getpid = JSON.readTree(
                Distribution.run(temp.home(), "explain", "--json", profile.toString(), "getpid").out());
        assertEquals("SCMP_ACT_ALLOW", getpid.at("/action/name").asText());
        assertTrue(getpid.get("decidedBy").isNull(), "the default action decides getpid");

        // what the kernel does under that profile: mkdir fails with EACCES, as explained
        Path made = temp.dir().resolve("made");
        Result run = Distribution.run(temp.home(), "run", "--kernel-only", "--profile", profile.toString(), "--",
                "/bin/mkdir", made.toString());
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("Permission denied"), run.err());
        assertFalse(Files.exists(made));
    }

    @Test
    void compileStatisticsJsonCountsTheProgramCompileWrites() throws Exception {
        Path bpf = temp.dir().resolve("default.bpf");
        Result written = Distribution.run(temp.home(), "compile", "--format", "bpf", "-o", bpf.toString(),
                "builtin:docker-default");
        assertEquals(0, written.status(), written::toString);
        Result stats = Distribution.run(temp.home(), "compile", "--format", "stats", "--json",
                "builtin:docker-default");
        assertEquals(0, stats.status(), stats::toString);
        JsonNode json = JSON.readTree(stats.out());

        int instructions = json.get("instructions").asInt();
        assertEquals(Files.size(bpf) / 8, instructions, "struct sock_filter is 8 bytes");
        int kinds = 0;
        for (JsonNode count : json.get("instructionKinds")) {
            kinds += count.asInt();
        }
        assertEquals(instructions, kinds);
        assertTrue(json.get("longestPath").asInt() > 0 && json.get("longestPath").asInt() <= instructions);
        if (uname("-m").equals("x86_64")) {
            assertEquals(List.of("SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"),
                    json.get("architectures").findValuesAsText("arch"));
        }
    }

    private static String uname(String option) throws Exception {
        Process p = new ProcessBuilder("uname", option).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        return out;
    }
}
