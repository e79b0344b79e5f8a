package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;

/**
 * A repeat learning run lets the kernel allow what its key already learned, values included, and
 * still learns everything new: run 1 learns behaviour A (getcwd 200 times among others), run 2 does
 * A and B; run 2 is not notified of A's calls, and the key ends where one run notifying everything
 * of A and B ends. Through the distribution, as a user runs it.
 */
class RepeatLearningIT extends DistributionTest {

    private static final Path SOURCE = Path.of("src/test/resources/org/attenuator/distribution/learn_more.c");

    @Test
    void aRepeatRunLearnsNewSyscallsAndNewValuesOfLearnedOnes() throws Exception {
        Path target = Distribution.compile(SOURCE, dir.resolve("learn_more"));
        Path home = TempHome.in(dir);

        Result first = Distribution.run(home, "run", "--learn=grow", "--", target.toString(), "a");
        assertEquals(0, first.status(), first::toString);
        assertTrue(first.err().contains("learned socket/x86_64 [arg0 == 0x1, arg1 & 0xf == 0x1]"), first::toString);

        Result second = Distribution.run(home, "run", "--learn=grow", "--", target.toString(), "ab");
        assertEquals(0, second.status(), second::toString);
        assertEquals("ok\n", second.out(), second::toString);
        assertTrue(second.err().contains("allowed without asking"), second::toString);
        assertTrue(second.err().contains("learned socket/x86_64 [arg0 == 0x1, arg1 & 0xf == 0x2]"), second::toString);
        assertTrue(second.err().contains("learned fcntl/x86_64 [arg1 == 0x1]"), second::toString);
        assertTrue(second.err().contains("learned uname/x86_64"), second::toString);
        assertFalse(second.err().contains("learned getcwd"), second::toString);
        assertTrue(notifiedCalls(first) >= 200, first::toString);
        assertTrue(notifiedCalls(second) < 200, () -> "the kernel allowed A's getcwd calls: " + second);

        Result once = Distribution.run(home, "run", "--learn=once", "--", target.toString(), "ab");
        assertEquals(0, once.status(), once::toString);
        assertEquals(learnedTable(home, "once"), learnedTable(home, "grow"));
    }

    /** N of the run's last line {@code attenuator: learned KEY: ..., N calls notified; FILE}. */
    private static long notifiedCalls(Result run) {
        Matcher m = Pattern.compile(", (\\d+) calls notified; ").matcher(run.err());
        assertTrue(m.find(), run::toString);
        return Long.parseLong(m.group(1));
    }

    /** The syscall table of {@code profile show KEY}: what the key learned, with values and phases. */
    private static String learnedTable(Path home, String key) throws Exception {
        Result show = Distribution.run(home, "profile", "show", key);
        assertEquals(0, show.status(), show::toString);
        return show.out().substring(show.out().indexOf("\n\n") + 2);
    }
}
