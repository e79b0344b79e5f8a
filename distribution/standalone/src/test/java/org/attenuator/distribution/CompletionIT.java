package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash completion script, loaded into a real bash as a user does ({@code source <(attenuator
 * completion bash)}), asked what TAB offers for a line: what bash itself would show.
 */
class CompletionIT {

    @TempDir
    static Path dir;
    static Path home;
    static Path script;
    static Path zshScript;

    @BeforeAll
    static void script() throws Exception {
        home = TempHome.in(dir);
        Files.createDirectory(home.resolve("learned"));
        Files.writeString(home.resolve("learned/nginx.json"), "{}");
        Files.writeString(dir.resolve("web.json"), "{}");
        Result bash = Distribution.run(home, "completion", "bash");
        assertEquals(0, bash.status(), bash::toString);
        script = Files.writeString(dir.resolve("attenuator.bash"), bash.out());
        assertEquals(bash.out(), Files.readString(Path.of(System.getProperty("attenuator.dist"),
                "completion/attenuator.bash")), "the distribution carries the same script");
        Result zsh = Distribution.run(home, "completion", "zsh");
        assertEquals(0, zsh.status(), zsh::toString);
        zshScript = Files.writeString(dir.resolve("_attenuator"), zsh.out());
    }

    /** What bash offers when TAB is pressed at the end of {@code line}. */
    private static List<String> tab(String line) throws Exception {
        return offered(new ProcessBuilder("bash", "-c", "source \"$1\"; COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; "
                + "_attenuator; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString(), line));
    }

    /** What the zsh script's completion function answers zsh's bash emulation for {@code line}. */
    private static List<String> zshTab(String line) throws Exception {
        return offered(new ProcessBuilder("zsh", "-c", "autoload -U compinit && compinit -u; source \"$1\"; "
                + "COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; _attenuator; print -l -- \"${COMPREPLY[@]}\"", "zsh",
                zshScript.toString(), line));
    }

    private static List<String> offered(ProcessBuilder pb) throws Exception {
        pb.directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ATTENUATOR_HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.lines().filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void completesWhatEachWordCanBe() throws Exception {
        record Case(String line, List<String> offered) {
        }
        for (Case c : List.of(
                new Case("attenuator co", List.of("compile", "completion")),
                new Case("attenuator run --apply", List.of("--apply-point")),
                new Case("attenuator run --profile builtin:docker-", List.of("docker-20.10", "docker-default")),
                new Case("attenuator run --profile learned:", List.of("nginx")),
                new Case("attenuator run --profile we", List.of("web.json")),
                new Case("attenuator run --apply-point liste", List.of("listen")),
                new Case("attenuator run --apply-point listen,accept", List.of("listen,accept", "listen,accept4")),
                new Case("attenuator run /bin/true --app", List.of()),
                new Case("attenuator compile --format=st", List.of("stats")),
                new Case("attenuator explain web.json openat2", List.of("openat2")),
                new Case("attenuator compile builtin:docker-", List.of("docker-20.10", "docker-default")),
                new Case("attenuator explain builtin:docker-2", List.of("docker-20.10")),
                new Case("attenuator explain le", List.of()),
                new Case("attenuator doctor --j", List.of("--json")),
                new Case("attenuator profile ", List.of("diff", "export", "list", "merge", "show", "template")),
                new Case("attenuator profile show ", List.of("builtin:docker-20.10", "builtin:docker-default", "nginx")),
                new Case("attenuator profile show builtin:docker-d", List.of("docker-default")),
                new Case("attenuator profile diff ng", List.of("nginx")),
                new Case("attenuator profile merge nginx learned:", List.of("nginx")),
                new Case("attenuator profile merge -o we", List.of("web.json")),
                new Case("attenuator profile export --runtime ", List.of("crun", "none", "runc")),
                new Case("attenuator profile template --runtime ", List.of("crun", "runc")),
                new Case("attenuator profile --format spo export ng", List.of("nginx")),
                new Case("attenuator profile export --format ", List.of("oci", "spo")),
                new Case("attenuator completion ", List.of("bash", "zsh")),
                new Case("attenuator help pro", List.of("profile")))) {
            assertEquals(c.offered(), tab(c.line()), c.line());
        }
    }

    /** zsh replaces the whole word: the reply keeps what precedes ':' and '='. */
    @Test
    void zshCompletesTheSameWords() throws Exception {
        assertEquals(List.of("compile", "completion"), zshTab("attenuator co"));
        assertEquals(List.of("builtin:docker-20.10", "builtin:docker-default"),
                zshTab("attenuator run --profile builtin:docker-"));
        assertEquals(List.of("web.json"), zshTab("attenuator run --profile we"));
        assertEquals(List.of("listen,accept", "listen,accept4"), zshTab("attenuator run --apply-point listen,accept"));
        assertEquals(List.of("--format=stats"), zshTab("attenuator compile --format=st"));
        assertEquals(List.of("builtin:docker-20.10", "builtin:docker-default", "nginx"), zshTab("attenuator profile show "));
    }
}
