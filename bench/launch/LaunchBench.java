package org.attenuator.core.internal.launch;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;

/**
 * The numbers of docs/exec-benchmark.md (run it through run.sh): writes OUT/docker-attenuator-MODE.bpf
 * (the Docker default program as a launch compiles it, for bench_exec -p/-q) and prints the time of
 * plan + compile, of a plain ProcessBuilder start, and from {@code Launcher.launch} to the target's
 * first instruction, per mode. In the launch package for {@link LaunchPlan}, which is package-private.
 *
 *   java -cp OUT/classes:CP org.attenuator.core.internal.launch.LaunchBench ATTENUATOR_EXEC OUT
 */
public final class LaunchBench {

    static final int WARMUP = 50, RUNS = 300;

    private LaunchBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LaunchBench ATTENUATOR_EXEC OUT_DIR");
            System.exit(2);
        }
        Path exec = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        LaunchProfile docker = LaunchProfile.builtinDefault();
        for (Launch.Mode mode : new Launch.Mode[] {Launch.Mode.KERNEL_ONLY, Launch.Mode.SUPERVISED}) {
            CompiledFilter f = FilterCompiler.create().compile(LaunchPlan.of(docker, mode).filter());
            Files.write(dir.resolve("docker-attenuator-" + mode.name().toLowerCase() + ".bpf"), f.program().toBytes());
            System.out.printf("docker-default for %s: %d instructions (%s)%n", mode, f.program().size(), f.statistics());
        }
        long[] compile = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            long t0 = System.nanoTime();
            FilterCompiler.create().compile(LaunchPlan.of(docker, Launch.Mode.SUPERVISED).filter());
            if (i >= 0) {
                compile[i] = System.nanoTime() - t0;
            }
        }
        System.out.println("plan + compile docker-default (warm): " + stats(compile));
        long[] spawn = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/bin/true").start();
            p.waitFor();
            if (i >= 0) {
                spawn[i] = System.nanoTime() - t0;
            }
        }
        System.out.println("ProcessBuilder /bin/true start+wait: " + stats(spawn));
        Path firstInsn = firstInstruction(dir);
        try (SupervisorComponent supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS);
                LauncherService launcher = new LauncherService(Optional.of(exec), LauncherService.runBase(), supervisor)) {
            for (Launch.Mode mode : new Launch.Mode[] {Launch.Mode.KERNEL_ONLY, Launch.Mode.SUPERVISED}) {
                long[] first = new long[RUNS];
                long[] returned = new long[RUNS];
                long[] total = new long[RUNS];
                for (int i = -WARMUP; i < RUNS; i++) {
                    Launch launch = Launch.command(firstInsn.toString()).profile(docker).stdio(Launch.Stdio.PIPE)
                            .mode(mode).build();
                    long t0 = System.nanoTime();
                    try (LaunchedProcess p = launcher.launch(launch)) {
                        long t1 = System.nanoTime();
                        String line = new BufferedReader(new InputStreamReader(p.process().getInputStream(),
                                StandardCharsets.US_ASCII)).readLine();
                        p.waitFor(10, TimeUnit.SECONDS);
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            first[i] = Long.parseLong(line.trim()) - t0;
                            returned[i] = t1 - t0;
                            total[i] = t2 - t0;
                        }
                    }
                }
                System.out.printf("%s launch -> first instruction: %s | launch() returns: %s | until reaped: %s%n",
                        mode, stats(first), stats(returned), stats(total));
            }
        }
    }

    /** A static program whose first act is to print CLOCK_MONOTONIC (System.nanoTime's clock), in ns. */
    private static Path firstInstruction(Path dir) throws Exception {
        Path binary = dir.resolve("first-insn");
        Path src = dir.resolve("first-insn.c");
        Files.writeString(src, "#include <stdio.h>\n#include <time.h>\nint main(void){struct timespec t;"
                + "clock_gettime(CLOCK_MONOTONIC,&t);printf(\"%lld\\n\",(long long)t.tv_sec*1000000000LL+t.tv_nsec);return 0;}\n");
        if (new ProcessBuilder("gcc", "-static", "-O2", "-o", binary.toString(), src.toString()).inheritIO().start()
                .waitFor() != 0) {
            throw new IllegalStateException("gcc -static " + src + " failed");
        }
        return binary;
    }

    private static String stats(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p10 %.0f / med %.0f / p90 %.0f us", s[s.length / 10] / 1e3, s[s.length / 2] / 1e3,
                s[s.length * 9 / 10] / 1e3);
    }
}
