package org.attenuator.plugin.fallback.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kill -9 of the supervisor JVM under load, N times (run it through run.sh): one target calling
 * getppid in a loop, latency from just before kill() to the target's first fallback answer
 * (loop.c stores its CLOCK_MONOTONIC time; System.nanoTime() is CLOCK_MONOTONIC too); between
 * kills a new supervisor takes the tree back. Prints min/median/p90/max. It drives
 * FallbackCrashTest's rig (supervisor JVMs, targets, counters), hence its package.
 *
 *   java -cp OUT/classes:TEST_CLASSPATH org.attenuator.plugin.fallback.internal.KillToFallbackBench N
 */
public final class KillToFallbackBench {

    private KillToFallbackBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || Integer.parseInt(args[0]) < 1) {
            System.err.println("usage: KillToFallbackBench RUNS");
            System.exit(2);
        }
        int reps = Integer.parseInt(args[0]);
        FallbackCrashTest.compileTarget();
        FallbackCrashTest rig = new FallbackCrashTest();
        rig.makeDir();
        try {
            List<Double> ms = measure(rig, reps);
            List<Double> sorted = ms.stream().sorted().toList();
            System.out.printf("kill -9 -> first fallback answer, %d runs: min %.3f ms, median %.3f ms, p90 %.3f ms,"
                    + " max %.3f ms; all %s%n", reps, sorted.get(0), sorted.get(reps / 2),
                    sorted.get((int) Math.ceil(reps * 0.9) - 1), sorted.get(reps - 1), ms);
        } finally {
            rig.cleanUp();
        }
        System.exit(0); // the supervisor JVMs' reader threads are daemons, but say it plainly
    }

    private static List<Double> measure(FallbackCrashTest rig, int reps) throws Exception {
        FallbackCrashTest.Sup s = rig.startSupervisor(rig.agent, "bench-0");
        FallbackCrashTest.Counters t = rig.target(rig.agent, "", "t1");
        FallbackCrashTest.await(() -> s.status().contains("trees=1 state=WATCHING") && s.lastStatus.contains("covered=1"),
                () -> "1 tree covered; " + s.lastStatus);
        rig.keepers.add(s.keeperPid());
        List<Double> ms = new ArrayList<>();
        FallbackCrashTest.Sup current = s;
        for (int i = 1; i <= reps; i++) {
            FallbackCrashTest.awaitGrowth(t, FallbackCrashTest.Counters.SUPERVISOR, 2000, "answered by the supervisor");
            long killed = current.kill9Now();
            FallbackCrashTest.awaitGrowth(t, FallbackCrashTest.Counters.EPERM, 200, "answered by the keeper");
            ms.add((t.get(FallbackCrashTest.Counters.FIRST_FALLBACK_NS) - killed) / 1e6);
            FallbackCrashTest.Sup next = rig.startSupervisor(rig.agent.resolveSibling("agent-" + i + ".sock"), "bench-" + i);
            FallbackCrashTest.await(() -> next.status().contains("trees=1 state=WATCHING")
                    && next.lastStatus.contains("covered=1"), () -> "took the tree back; " + next.lastStatus);
            current = next;
        }
        t.stop();
        if (!t.process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("t1 did not stop");
        }
        t.checkClean();
        return ms;
    }
}
