package org.attenuator.plugin.learning;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;
import org.attenuator.plugin.learning.internal.LearnedRules;

/**
 * What a launcher needs to start a learning run: the tree properties the learning handler reads,
 * the always-allowed base, and the learning filter policy. See docs/learning.md.
 *
 * @since 1.1.0
 */
public final class Learning {

    /** Tree property (String): the learning key; empty for the executable's default key ({@link #defaultKey}). */
    public static final String KEY_PROPERTY = "learn.key";

    /**
     * Tree property (String, comma-separated syscall names): what the tree's filter allows without
     * notifying. The handler adds them to what the run learned, for every ABI the run used, so the
     * enforced profile allows them too.
     */
    public static final String BASE_PROPERTY = "learn.base";

    /**
     * The always-allowed base of {@code run --learn}: few, hot and low-risk syscalls that nearly every
     * program makes, so a learning target is not flooded with notifications. Nothing here opens a
     * file, a socket or a process, changes credentials, or maps memory executable by itself beyond
     * what mmap/mprotect always allow.
     */
    public static final List<String> BASE = List.of(
            "read", "write", "readv", "writev", "pread64", "pwrite64", "close", "lseek",
            "futex", "brk", "mmap", "munmap", "mprotect", "madvise",
            "rt_sigreturn", "rt_sigprocmask", "exit", "exit_group",
            "clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday", "getpid", "gettid",
            "sched_yield", "restart_syscall");

    /**
     * What a learning call the learning handler did not decide in time (a loaded machine) gets:
     * allowed. The handler still records it, and a denial would break the very run being learned.
     */
    private static final Decision UNDECIDED = Decision.allow();

    private Learning() {
    }

    /**
     * Makes {@code launch} a learning run of {@code key}, the one way every face builds one: the
     * learning filter ({@link #policy(List, List, Optional)} with {@link #BASE}, on the
     * architectures of this machine's default profile, what {@code learnedSoFar} holds allowed in
     * the kernel), calls no handler decided in time allowed, and {@link #KEY_PROPERTY} and
     * {@link #BASE_PROPERTY} as the tree properties the learning handler reads.
     *
     * @since 1.3
     */
    public static Launch.Builder launch(Launch.Builder launch, String key, Optional<LearnedProfile> learnedSoFar) {
        List<Arch> arches = LaunchProfile.builtinDefault().policy().arches();
        return launch.profile(new LaunchProfile("learning", Optional.empty(), policy(arches, BASE, learnedSoFar),
                        Set.of(), UNDECIDED))
                .property(KEY_PROPERTY, key)
                .property(BASE_PROPERTY, String.join(",", BASE));
    }

    /**
     * The learning filter: {@code base} allowed in the kernel, every other syscall of {@code arches}
     * notified to the supervisor (where the learning handler allows and records it).
     */
    public static Policy policy(List<Arch> arches, List<String> base) {
        List<Rule> rules = new ArrayList<>();
        for (String name : base) {
            rules.add(new Rule(name, Action.ALLOW, List.of(), "attenuator.learning.base"));
        }
        return new Policy(Action.USER_NOTIF, arches, rules);
    }

    /**
     * The learning filter of a run on a key that has learned {@code learnedSoFar}, if anything:
     * {@link #policy(List, List)} plus what it holds, allowed in the kernel on the ABI it was learned
     * on and with its argument conditions, so that only what the key has not learned yet is notified.
     * The run still learns what a run notifying everything would (see docs/learning.md, "Repeat runs").
     *
     * @since 1.2.0
     */
    public static Policy policy(List<Arch> arches, List<String> base, Optional<LearnedProfile> learnedSoFar) {
        Policy first = policy(arches, base);
        if (learnedSoFar.isEmpty()) {
            return first;
        }
        List<Rule> rules = new ArrayList<>(first.rules());
        rules.addAll(LearnedRules.of(learnedSoFar.get(), arches));
        Policy repeat = new Policy(first.defaultAction(), arches, rules);
        try {
            FilterCompiler.create().compile(repeat);
            return repeat;
        } catch (CompileException e) {
            // a key that learned more than one filter can hold: notify everything, as a first run
            // does (slower, the same result), rather than fail the run
            return first;
        }
    }

    /** The default key of {@code executable}: its absolute, normalized path and its SHA-256, {@code /usr/sbin/nginx@sha256:HEX}. */
    public static String defaultKey(Path executable) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(executable), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // digest as we go
            }
            return executable.toAbsolutePath().normalize() + "@sha256:"
                    + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
