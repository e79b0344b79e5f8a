package org.attenuator.profile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Disassembler;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;

/**
 * The Java side of bench/bpf: compiles a profile for x86_64+x32+i386 with our compiler and with
 * libseccomp (optimize=2), prints sizes, longest paths and our warm compile time, and writes both
 * programs for the C harness.
 *
 * <p>usage: CompileBenchmark PROFILE OUT_DIR
 */
public final class CompileBenchmark {

    private static final int WARMUP = 300;
    private static final int RUNS = 200;

    private CompileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        ResolveOptions options = ResolveOptions.defaults().withArches(List.of(Arch.X86_64, Arch.X32, Arch.X86));
        ProfileCompiler compiler = ProfileCompiler.create();
        CompiledFilter ours = compiler.compile(profile, options);
        Policy policy = ours.policy();
        BpfProgram theirs = new Libseccomp(out).compile(policy, Action.KILL_PROCESS);
        Files.write(out.resolve("attenuator.bpf"), ours.program().toBytes());
        Files.write(out.resolve("libseccomp.bpf"), theirs.toBytes());

        for (int i = 0; i < WARMUP; i++) {
            compiler.compile(profile, options);
        }
        long[] fileToProgram = new long[RUNS];
        long[] policyToProgram = new long[RUNS];
        FilterCompiler bpf = FilterCompiler.create();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            compiler.compile(profile, options);
            long t1 = System.nanoTime();
            bpf.compile(policy);
            fileToProgram[i] = t1 - t0;
            policyToProgram[i] = System.nanoTime() - t1;
        }
        System.out.printf("profile %s, arches %s, %d rules%n", profile, policy.arches(), policy.rules().size());
        System.out.printf("%-12s %8s %14s%n", "", "insns", "longest path");
        System.out.printf("%-12s %8d %14d%n", "attenuator", ours.program().size(), Disassembler.longestPath(ours.program()));
        System.out.printf("%-12s %8d %14d%n", "libseccomp", theirs.size(), Disassembler.longestPath(theirs));
        System.out.printf("ratio        %8.2f %14.2f%n", (double) ours.program().size() / theirs.size(),
                (double) Disassembler.longestPath(ours.program()) / Disassembler.longestPath(theirs));
        System.out.printf("warm compile (median of %d): file -> program %.2f ms, policy -> program %.2f ms%n", RUNS,
                median(fileToProgram) / 1e6, median(policyToProgram) / 1e6);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
