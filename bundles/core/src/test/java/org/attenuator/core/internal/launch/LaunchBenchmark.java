package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not a test: the numbers of docs/exec-benchmark.md. Runs only with -Dattenuator.bench=true:
 * <pre>mvn -B -o -pl bundles/core test -Dtest=LaunchBenchmark -Dattenuator.bench=true</pre>
 * Writes target/bench/docker-attenuator.bpf (the kernel-only Docker program, for bench_exec -p)
 * and prints the time from {@code Launcher.launch} to the target's first instruction.
 */
class LaunchBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(LaunchBenchmark.class);

    static final int WARMUP = 50, RUNS = 300;

    @Test
    void launchToFirstInstruction() throws Exception {
        assumeTrue(Boolean.getBoolean("attenuator.bench"), "benchmark: -Dattenuator.bench=true");
        LaunchProfile docker = LaunchProfile.builtinDefault();
        Path dir = Files.createDirectories(Path.of("target/bench").toAbsolutePath());
        for (Launch.Mode mode : new Launch.Mode[] {Launch.Mode.KERNEL_ONLY, Launch.Mode.SUPERVISED}) {
            CompiledFilter f = FilterCompiler.create().compile(LaunchPlan.of(docker, mode).filter());
            Files.write(dir.resolve("docker-attenuator-" + mode.name().toLowerCase() + ".bpf"), f.program().toBytes());
            LOG.info("docker-default for {}: {} instructions ({})", mode, f.program().size(), f.statistics());
        }
        long[] compile = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            long t0 = System.nanoTime();
            FilterCompiler.create().compile(LaunchPlan.of(docker, Launch.Mode.SUPERVISED).filter());
            if (i >= 0) {
                compile[i] = System.nanoTime() - t0;
            }
        }
        LOG.info("plan + compile docker-default (warm): {}", stats(compile));
        long[] spawn = new long[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/bin/true").start();
            p.waitFor();
            if (i >= 0) {
                spawn[i] = System.nanoTime() - t0;
            }
        }
        LOG.info("ProcessBuilder /bin/true start+wait: {}", stats(spawn));
        Path firstInsn = dir.resolve("first-insn");
        Path src = dir.resolve("first-insn.c");
        Files.writeString(src, "#include <stdio.h>\n#include <time.h>\nint main(void){struct timespec t;"
                + "clock_gettime(CLOCK_MONOTONIC,&t);printf(\"%lld\\n\",(long long)t.tv_sec*1000000000LL+t.tv_nsec);return 0;}\n");
        new ProcessBuilder("gcc", "-static", "-O2", "-o", firstInsn.toString(), src.toString()).inheritIO().start().waitFor();
        try (SupervisorComponent supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS);
                LauncherService launcher = new LauncherService(TargetProgram.attenuatorExec(),
                        LauncherService.runBase(), supervisor)) {
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
                LOG.info("{} launch -> first instruction: {} | launch() returns: {} | until reaped: {}",
                        mode, stats(first), stats(returned), stats(total));
            }
        }
    }

    private static String stats(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p10 %.0f / med %.0f / p90 %.0f us", s[s.length / 10] / 1e3, s[s.length / 2] / 1e3,
                s[s.length * 9 / 10] / 1e3);
    }
}
