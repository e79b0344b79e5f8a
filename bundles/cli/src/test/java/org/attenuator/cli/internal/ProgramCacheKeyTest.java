package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs write a program for attenuator-client, and under which name. */
class ProgramCacheKeyTest {

    @TempDir
    Path dir;

    private String distributionBefore;

    /** A distribution of build A: the launcher names its directory, whose lib/build-id names the build. */
    @BeforeEach
    void distribution() throws Exception {
        distributionBefore = System.getProperty(ProgramCacheKey.DISTRIBUTION);
        build("0.2.0 A");
        System.setProperty(ProgramCacheKey.DISTRIBUTION, dir.resolve("dist").toString());
    }

    @AfterEach
    void restore() {
        if (distributionBefore == null) {
            System.clearProperty(ProgramCacheKey.DISTRIBUTION);
        } else {
            System.setProperty(ProgramCacheKey.DISTRIBUTION, distributionBefore);
        }
    }

    private void build(String id) throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("dist/lib")).resolve("build-id"), id + "\n");
    }

    /** The entry the run these arguments describe writes, as RunCommand builds it. */
    private static Optional<Path> file(String... args) throws CommandException {
        return RunCommand.parse(List.of(args)).programCache();
    }

    @Test
    void onlyTheClientsOwnOptionsGetAnEntry() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        assertTrue(file("--", "true").isPresent());
        assertTrue(file("--kernel-only", "--profile", profile.toString(), "true").isPresent());
        assertTrue(file("--agent", "/a.sock", "true").isPresent());
        for (List<String> other : List.of(List.of("--fallback", "allow"), List.of("--cap-add", "SYS_ADMIN"),
                List.of("--deny-log"), List.of("--apply-point", "listen"), List.of("--profile", "builtin:docker-20.10"),
                List.of("--profile", profile.toString(), "--profile", profile.toString()))) {
            List<String> args = new java.util.ArrayList<>(other);
            args.addAll(List.of("--", "true"));
            assertEquals(Optional.empty(), file(args.toArray(String[]::new)), "no entry for " + other);
        }
    }

    @Test
    void theNameDependsOnTheModeAndTheProfilesBytes() throws Exception {
        Path a = Files.writeString(dir.resolve("a.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        Path b = Files.writeString(dir.resolve("b.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"} ");
        Path same = Files.writeString(dir.resolve("same-as-a.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
        Path agentA = file("--profile", a.toString(), "true").orElseThrow();
        assertEquals(agentA, file("--profile", same.toString(), "true").orElseThrow(), "by content, not by path");
        assertNotEquals(agentA, file("--profile", b.toString(), "true").orElseThrow());
        assertNotEquals(agentA, file("--kernel-only", "--profile", a.toString(), "true").orElseThrow());
        assertTrue(agentA.getFileName().toString().matches("[0-9a-f]{64}"), agentA.toString());
        assertEquals("programs", agentA.getParent().getFileName().toString());
    }

    @Test
    void anotherBuildOfTheDistributionNamesAnotherEntry() throws Exception {
        Path a = file("--", "true").orElseThrow();
        build("0.2.0 B");
        assertNotEquals(a, file("--", "true").orElseThrow(), "a rebuilt compiler never reads the old program");
        Files.delete(dir.resolve("dist/lib/build-id"));
        assertEquals(Optional.empty(), file("--", "true"), "no build id: no entry");
        System.clearProperty(ProgramCacheKey.DISTRIBUTION);
        assertEquals(Optional.empty(), file("--", "true"), "no distribution: no entry");
    }
}
