package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code profile diff} and {@code profile merge} as a user types them: two learned runs of one
 * program (behaviour A, then A and B) compared and combined, a merge with a file that denies what
 * a key allows, and names that are neither a key nor a file.
 */
class ProfileDiffMergeIT extends DistributionTest {

    private static final Path SOURCE = Path.of("src/test/resources/org/attenuator/distribution/learn_more.c");

    @TempDir
    static Path home;
    private static Path target;

    @BeforeAll
    static void learnAThenAB(@TempDir Path bin) throws Exception {
        target = Distribution.compile(SOURCE, bin.resolve("learn_more"));
        for (String mode : new String[] {"a", "ab"}) {
            Result learned = Distribution.run(home, "run", "--learn=" + mode, "--", target.toString(), mode);
            assertEquals(0, learned.status(), learned::toString);
        }
    }

    @Test
    void diffShowsWhatTheSecondRunAddedAndMergeEndsWhereItDoes() throws Exception {
        Result diff = Distribution.run(home, "profile", "diff", "a", "ab");
        assertEquals(1, diff.status(), diff::toString);
        assertEquals("""
                + fcntl/x86_64 [arg1 == 0x1]
                + socket/x86_64 [arg0 == 0x1, arg1 & 0xf == 0x2]
                + uname/x86_64
                """, diff.out(), diff::toString);

        Path merged = dir.resolve("merged.json");
        Result merge = Distribution.run(home, "profile", "merge", "-o", merged.toString(), "a", "ab");
        assertEquals(0, merge.status(), merge::toString);
        Result same = Distribution.run(home, "profile", "diff", merged.toString(), "learned:ab");
        assertEquals(0, same.status(), same::toString);
        assertEquals("", same.out(), same::toString);
    }

    @Test
    void aMergeKeepsTheStricterActionSaysSoAndEnforcesIt() throws Exception {
        Path deny = Files.writeString(dir.resolve("deny-uname.json"), """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}
                """);
        Path merged = dir.resolve("merged.json");
        Result merge = Distribution.run(home, "profile", "merge", "-o", merged.toString(), "ab", deny.toString());
        assertEquals(0, merge.status(), merge::toString);
        assertEquals("attenuator profile: merge conflict: uname/x86_64: SCMP_ACT_ALLOW in learned:ab, "
                + "SCMP_ACT_ERRNO(38) in " + deny + ": keeping SCMP_ACT_ERRNO(38) (the stricter)\n", merge.err());

        Result enforced = Distribution.run(home, "run", "--profile", merged.toString(), "--", target.toString(), "ab");
        assertEquals("failed\n", enforced.out(), enforced::toString);
        assertEquals(1, enforced.status(), enforced::toString);
    }

    @Test
    void aNameThatIsNeitherAKeyNorAFileIsOneLineAndExit2() throws Exception {
        Result diff = Distribution.run(home, "profile", "diff", "a", "nope");
        assertEquals(2, diff.status(), diff::toString);
        assertEquals("attenuator profile: no learned profile nope in " + home.resolve("learned")
                + " and no file nope\n", diff.err());

        Result merge = Distribution.run(home, "profile", "merge", "learned:gone", "a");
        assertEquals(2, merge.status(), merge::toString);
        assertEquals("attenuator profile: no learned profile gone in " + home.resolve("learned") + "\n", merge.err());
        assertTrue(merge.out().isEmpty(), merge::toString);
    }

    @Test
    void builtinProfilesAreReadByName() throws Exception {
        // moby's profiles give some syscalls by capability, which diff and merge do not compare: the
        // line names that, not a missing file
        Result diff = Distribution.run(home, "profile", "diff", "builtin:docker-20.10", "a");
        assertEquals(2, diff.status(), diff::toString);
        assertTrue(diff.err().startsWith("attenuator profile: builtin:docker-20.10: syscalls["), diff::toString);
        assertTrue(diff.err().contains("conditions on capabilities"), diff::toString);

        Result unknown = Distribution.run(home, "profile", "diff", "builtin:nope", "a");
        assertEquals(2, unknown.status(), unknown::toString);
        assertEquals("attenuator profile: no built-in profile nope (built in: docker-default, docker-20.10)\n",
                unknown.err());
    }
}
