import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallHandler;
import org.attenuator.core.Intake;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.internal.intake.IntakeService;
import org.attenuator.core.internal.supervisor.SupervisorComponent;
import org.attenuator.core.internal.supervisor.SupervisorSettings;
import org.osgi.framework.Constants;

/**
 * The Java side of the notification benchmark (run it through run.sh). One supervisor with a
 * three-handler chain (two that pass, one that allows: the answer is CONTINUE, as in the C loop);
 * targets handed over through the OCI agent socket by attenuator-testhelper, each calling a
 * notified getppid in a loop and timing every call (notify_target.c). One unmeasured warm-up run
 * of the same scenario (2 s, or the duration if shorter) comes first, so the JIT has compiled the
 * hot path before the measured repetitions.
 *
 *   java -cp CP NotifyBench.java TESTHELPER TARGET SCENARIO DURATION_MS REPS [WORKERS]
 *
 * WORKERS: the supervisor's event loops (default: SupervisorSettings.DEFAULT_WORKERS).
 *
 * SCENARIO: 1 (one busy target), 2 (two busy targets), 100 (10 busy + 90 idle targets calling
 * every 10 ms). Prints per repetition: notifications/s (supervisor side, over the busy window),
 * and p50/p99 of the busy targets' call latency (target side, all samples together).
 */
public final class NotifyBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: NotifyBench TESTHELPER TARGET 1|2|100 DURATION_MS REPS [WORKERS]");
            System.exit(2);
        }
        String helper = args[0], target = args[1];
        int scenario = Integer.parseInt(args[2]);
        long durationMs = Long.parseLong(args[3]);
        int reps = Integer.parseInt(args[4]);
        int workers = args.length > 5 ? Integer.parseInt(args[5]) : SupervisorSettings.DEFAULTS.workers();
        int busy = scenario == 100 ? 10 : scenario;
        int idle = scenario == 100 ? 90 : 0;

        Path dir = Files.createTempDirectory("notify-bench");
        SupervisorComponent supervisor = new SupervisorComponent(SupervisorSettings.DEFAULTS.withWorkers(workers));
        Intake intake = new IntakeService(supervisor)
                .open(IntakeSettings.at(dir.resolve("agent").resolve("agent.sock")));
        addHandler(supervisor, (e, c) -> Decision.pass(), 30, Map.of(SyscallHandler.TARGET, "(tree.source=oci)"));
        addHandler(supervisor, (e, c) -> Decision.pass(), 20, Map.of(SyscallHandler.SYSCALLS, "getppid"));
        addHandler(supervisor, (e, c) -> Decision.allow(), 10, Map.of());
        System.out.printf("# Java supervisor, %d event loop(s), 3-handler chain (pass, pass, allow); scenario %d (%d busy, %d idle),"
                + " %d ms x %d after a warm-up%n", workers, scenario, busy, idle, durationMs, reps);
        System.out.println("scenario                       | notif/s  | p50 us | p99 us | calls   | errors");
        try {
            String warmUp = run(supervisor, intake, helper, target, scenario, busy, idle, Math.min(durationMs, 2000));
            System.out.println("# warm-up, not measured: " + warmUp);
            for (int rep = 0; rep < reps; rep++) {
                System.out.println(run(supervisor, intake, helper, target, scenario, busy, idle, durationMs));
            }
            System.out.printf("# sync wake-up: %s%n", supervisor.stats().syncWakeUp());
        } finally {
            intake.close();
            supervisor.close();
        }
    }

    /** One repetition; returns its table row. */
    private static String run(SupervisorComponent supervisor, Intake intake, String helper, String target, int scenario,
            int busy, int idle, long durationMs) throws Exception {
        List<Process> busyTargets = new ArrayList<>();
        List<Process> idleTargets = new ArrayList<>();
        int before = supervisor.trees().size();
        for (int i = 0; i < busy + idle; i++) {
            boolean isBusy = i < busy;
            Process p = new ProcessBuilder(helper, "--notify", "110" /* getppid, x86_64 */, "--socket", intake.socket().toString(),
                    "--metadata", "bench=" + scenario, "--", target, Long.toString(durationMs), isBusy ? "0" : "10000")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            (isBusy ? busyTargets : idleTargets).add(p);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (supervisor.trees().size() < before + busy + idle) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("targets were not adopted: " + supervisor.trees().size());
            }
            LockSupport.parkNanos(5_000_000L);
        }
        // the busy window: from "go" until the last busy target is done
        long n0 = supervisor.stats().notifications();
        long t0 = System.nanoTime();
        for (Process p : idleTargets) {
            go(p);
        }
        for (Process p : busyTargets) {
            go(p);
        }
        List<byte[]> outputs = new ArrayList<>();
        for (Process p : busyTargets) {
            outputs.add(readAll(p.getInputStream()));
        }
        long t1 = System.nanoTime();
        long n1 = supervisor.stats().notifications();
        for (Process p : idleTargets) {
            readAll(p.getInputStream());
        }
        for (Process p : busyTargets) {
            p.waitFor();
        }
        for (Process p : idleTargets) {
            p.waitFor();
        }
        long calls = 0, errors = 0;
        List<int[]> all = new ArrayList<>();
        int total = 0;
        for (byte[] out : outputs) {
            int nl = indexOf(out, (byte) '\n');
            String head = new String(out, 0, nl, StandardCharsets.US_ASCII);
            Map<String, Long> kv = new HashMap<>();
            for (String part : head.split(" ")) {
                String[] x = part.split("=");
                kv.put(x[0], Long.parseLong(x[1]));
            }
            calls += kv.get("calls");
            errors += kv.get("errors");
            ByteBuffer b = ByteBuffer.wrap(out, nl + 1, out.length - nl - 1).order(ByteOrder.LITTLE_ENDIAN);
            int[] s = new int[b.remaining() / 4];
            for (int i = 0; i < s.length; i++) {
                s[i] = b.getInt();
            }
            all.add(s);
            total += s.length;
        }
        long[] samples = new long[total];
        int k = 0;
        for (int[] s : all) {
            for (int v : s) {
                samples[k++] = Integer.toUnsignedLong(v);
            }
        }
        Arrays.sort(samples);
        double seconds = (t1 - t0) / 1e9;
        return String.format("%-30s | %8.0f | %6.1f | %6.1f | %7d | %d",
                scenario == 100 ? "100 targets (10 busy, 90 idle)" : scenario + " busy target(s)",
                (n1 - n0) / seconds, pct(samples, 0.50) / 1000.0, pct(samples, 0.99) / 1000.0, calls, errors);
    }

    private static void go(Process p) throws Exception {
        OutputStream in = p.getOutputStream();
        in.write('g');
        in.flush();
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("no header line in the target's output");
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    private static long serviceIds = 1000;

    private static void addHandler(SupervisorComponent s, SyscallHandler h, int ranking, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(Constants.SERVICE_ID, ++serviceIds);
        props.put(Constants.SERVICE_RANKING, ranking);
        s.addHandler(h, props);
    }
}
