package org.attenuator.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;

/**
 * Names the system call a program was killed for, as minijail does. The kernel logs every seccomp
 * kill (kernel.seccomp.actions_logged holds kill_process and kill_thread by default) as an audit
 * record, type 1326, with the pid, the arch and the number; without an audit daemon it reaches the
 * kernel log, which {@code /dev/kmsg} gives to root (or to anyone with kernel.dmesg_restrict=0).
 */
final class SigsysReport {

    static final int SIGSYS = 31;
    /** The record is queued to the audit thread, so it may land just after the child is reaped. */
    private static final long WAIT_MS = 500;
    private static final Path KMSG = Path.of("/dev/kmsg");
    /** A /dev/kmsg record: "PRIO,SEQ,MICROSECONDS_SINCE_BOOT,FLAGS;MESSAGE". */
    private static final Pattern SECCOMP_KILL = Pattern.compile(
            "^\\d+,\\d+,(\\d+),[^;]*;.*type=1326 .* pid=(\\d+) .* sig=31 arch=([0-9a-f]+) syscall=(\\d+)");
    /** The kernel log's clock and System.nanoTime() (both CLOCK_MONOTONIC here) may differ a little. */
    private static final long CLOCK_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private SigsysReport() {
    }

    /**
     * The one line {@code run} prints when {@code pid} ({@code program}), started at
     * {@code startedNanos} ({@link System#nanoTime()}), died of SIGSYS.
     */
    static String line(long pid, String program, long startedNanos) {
        return line(pid, program, startedNanos, Optional.empty());
    }

    /**
     * {@link #line(long, String, long)}, naming {@code supervisorKill} (the call the supervisor
     * killed the program for, on a kill rule of the profile routed through it) if known.
     */
    static String line(long pid, String program, long startedNanos, Optional<String> supervisorKill) {
        String what = "attenuator: " + program + " (pid " + pid + ") was killed by SIGSYS";
        return supervisorKill.or(() -> find(pid, startedNanos)).map(call -> what + ": system call " + call + " (a kill rule of its profile)")
                .orElse(what + " (a kill rule of its profile; the kernel log names the call: dmesg | grep type=1326)");
    }

    /**
     * {@code "ptrace on x86_64"} from the kernel log's record of {@code pid}'s kill, if it can be
     * read; records older than {@code startedNanos} are another process that had the same pid.
     */
    static Optional<String> find(long pid, long startedNanos) {
        // /dev/kmsg blocks at its end: read it on a thread of its own, which the JVM's exit ends
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = Files.newInputStream(KMSG)) {
                byte[] record = new byte[8192]; // each read is one record
                int n;
                while ((n = in.read(record)) > 0) {
                    Matcher m = SECCOMP_KILL.matcher(new String(record, 0, n, StandardCharsets.UTF_8));
                    if (m.find() && Long.parseLong(m.group(2)) == pid
                            && TimeUnit.MICROSECONDS.toNanos(Long.parseLong(m.group(1))) >= startedNanos - CLOCK_SLACK_NANOS) {
                        found.complete(describe(Long.parseUnsignedLong(m.group(3), 16), Long.parseLong(m.group(4))));
                    }
                }
            } catch (IOException | RuntimeException e) {
                found.completeExceptionally(e); // not root, or no kernel log here
            }
        }, "attenuator-kmsg");
        reader.setDaemon(true);
        reader.start();
        try {
            return Optional.of(found.get(WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            reader.interrupt();
        }
    }

    static String describe(long auditArch, long nr) {
        for (Arch arch : Arch.values()) {
            boolean x32 = nr >= Arch.X32_SYSCALL_BIT;
            if (arch.auditArch() == (int) auditArch && (arch == Arch.X32) == x32) {
                String name = SyscallTable.of(arch).name((int) nr).orElse("number " + (x32 ? nr - Arch.X32_SYSCALL_BIT : nr));
                return name + " on " + abiName(arch);
            }
        }
        return "number " + nr + " on audit arch 0x" + Long.toHexString(auditArch);
    }

    /** The ABI's name as the API's {@code Syscall.arch()} gives it. */
    private static String abiName(Arch arch) {
        return switch (arch) {
            case X86_64 -> "x86_64";
            case X86 -> "i386";
            case X32 -> "x32";
            case AARCH64 -> "aarch64";
        };
    }
}
