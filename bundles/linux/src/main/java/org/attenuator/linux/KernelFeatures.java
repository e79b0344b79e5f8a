package org.attenuator.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the running kernel supports, probed once and kept with the cause of every "no".
 * <p>
 * Features that need no listener are tried in this JVM (GET_ACTION_AVAIL per action,
 * GET_NOTIF_SIZES, pidfd_open, memfd_create, process_vm_readv, epoll, eventfd). Features that
 * need a filter and a listener cannot be tried in a JVM (a filter would stick to a JVM thread
 * for good), so they come from {@code attenuator-testhelper --probe}, which tries them in
 * forked children: user_notif, continue, addfd, wait_killable_recv, sync_wake_up, pidfd_getfd,
 * tsync_esrch. Without the helper those rows say so.
 * <p>
 * Rendered by {@code attenuator doctor}: {@link #arch()}, {@link #noNewPrivs()},
 * {@link #capSysAdmin()} and {@link #features()} as (name, available, detail) rows.
 */
public final class KernelFeatures {
    private static final Logger LOG = LoggerFactory.getLogger(KernelFeatures.class);

    /** Probed by the helper, in its output order. */
    public static final List<String> HELPER_FEATURES = List.of(
            "user_notif", "pidfd_getfd", "sync_wake_up", "continue", "addfd", "wait_killable_recv", "tsync_esrch");

    private static final Map<String, Integer> ACTIONS = Map.of(
            "KILL_PROCESS", Seccomp.RET_KILL_PROCESS, "KILL_THREAD", Seccomp.RET_KILL_THREAD,
            "TRAP", Seccomp.RET_TRAP, "ERRNO", Seccomp.RET_ERRNO, "USER_NOTIF", Seccomp.RET_USER_NOTIF,
            "TRACE", Seccomp.RET_TRACE, "LOG", Seccomp.RET_LOG, "ALLOW", Seccomp.RET_ALLOW);
    private static final List<String> ACTION_ORDER =
            List.of("KILL_PROCESS", "KILL_THREAD", "TRAP", "ERRNO", "USER_NOTIF", "TRACE", "LOG", "ALLOW");

    /** One row: a feature, whether it works here, and why (or how it was shown to work). */
    public record Feature(String name, boolean available, String detail) {}

    private final String arch;
    private final String kernelRelease;
    private final boolean noNewPrivs;
    private final boolean capSysAdmin;
    private final List<Feature> features;

    private KernelFeatures(String arch, String kernelRelease, boolean noNewPrivs, boolean capSysAdmin, List<Feature> features) {
        this.arch = arch;
        this.kernelRelease = kernelRelease;
        this.noNewPrivs = noNewPrivs;
        this.capSysAdmin = capSysAdmin;
        this.features = Collections.unmodifiableList(features);
    }

    /**
     * Probes now. helper: the attenuator-testhelper executable, or empty to skip the listener
     * features (they are then reported unavailable with that reason).
     */
    public static KernelFeatures probe(Optional<Path> helper) {
        List<Feature> rows = new ArrayList<>();
        for (String name : ACTION_ORDER) {
            rows.add(tryIt("action_" + name.toLowerCase(), () -> Seccomp.isActionAvailable(ACTIONS.get(name))
                    ? "SECCOMP_GET_ACTION_AVAIL(SECCOMP_RET_" + name + ")" : null,
                    "SECCOMP_GET_ACTION_AVAIL(SECCOMP_RET_" + name + "): EOPNOTSUPP"));
        }
        rows.add(tryIt("notif_sizes", () -> {
            Seccomp.NotifSizes s = Seccomp.notifSizes();
            return "seccomp_notif=" + s.notif() + " resp=" + s.resp() + " data=" + s.data();
        }, null));
        rows.add(tryIt("pidfd_open", () -> {
            try (Pidfd p = Pidfd.open((int) ProcessHandle.current().pid())) {
                return "pidfd_open(self)";
            }
        }, null));
        rows.add(tryIt("memfd_create", () -> {
            try (Fd fd = Memfd.create("attenuator-probe", Memfd.CLOEXEC | Memfd.ALLOW_SEALING)) {
                Memfd.addSeals(fd, Memfd.SEAL_SEAL);
                return "memfd_create(CLOEXEC|ALLOW_SEALING) and F_ADD_SEALS";
            }
        }, null));
        rows.add(tryIt("process_vm_readv", () -> {
            jnr.ffi.Pointer mine = org.attenuator.linux.internal.Native.allocate(8);
            mine.putLong(0, 0x5EC_C0A1L);
            byte[] b = new byte[8];
            ProcessMemory.read((int) ProcessHandle.current().pid(), mine.address(), b, 0, 8);
            return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).getLong() == 0x5EC_C0A1L
                    ? "read back own memory" : null;
        }, "process_vm_readv read wrong bytes"));
        rows.add(tryIt("epoll", () -> {
            try (Epoll ep = Epoll.create(); EventFd ev = EventFd.create(0, EventFd.NONBLOCK)) {
                ep.add(ev, Epoll.IN, 1);
                ev.signal(1);
                return ep.wait(new Epoll.Events(1), 0) == 1 ? "eventfd wakes epoll" : null;
            }
        }, "eventfd did not wake epoll"));
        rows.addAll(helper.map(KernelFeatures::runHelper).orElseGet(() -> {
            List<Feature> none = new ArrayList<>();
            for (String f : HELPER_FEATURES) {
                none.add(new Feature(f, false, "not probed: needs attenuator-testhelper --probe"));
            }
            return none;
        }));
        boolean nnp;
        try {
            nnp = Seccomp.noNewPrivs() || canSetNoNewPrivs();
        } catch (NativeException e) {
            nnp = false;
        }
        return new KernelFeatures(LinuxAbiInfo.arch(), readKernelRelease(), nnp, Seccomp.hasCapSysAdmin(), rows);
    }

    private interface Attempt {
        String run() throws Exception;
    }

    /** Runs attempt: a non-null result is the "yes" detail; null is "no" with failDetail. */
    private static Feature tryIt(String name, Attempt attempt, String failDetail) {
        try {
            String detail = attempt.run();
            return detail != null ? new Feature(name, true, detail) : new Feature(name, false, failDetail);
        } catch (Exception | LinkageError e) {
            return new Feature(name, false, e.getMessage());
        }
    }

    /** NO_NEW_PRIVS is per thread and cannot be unset: try it on a throwaway thread. */
    private static boolean canSetNoNewPrivs() {
        boolean[] ok = new boolean[1];
        Thread t = new Thread(() -> {
            try {
                Seccomp.setNoNewPrivs();
                ok[0] = Seccomp.noNewPrivs();
            } catch (NativeException e) {
                LOG.debug("PR_SET_NO_NEW_PRIVS failed", e);
            }
        }, "attenuator-nnp-probe");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ok[0];
    }

    private static String readKernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    /** Runs {@code helper --probe} and parses its "NAME yes|no DETAIL" lines. */
    static List<Feature> runHelper(Path helper) {
        List<Feature> rows = new ArrayList<>();
        String failure = null;
        try {
            Process p = new ProcessBuilder(helper.toString(), "--probe").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            rows.addAll(parseProbeOutput(out));
            if (rc != 0) {
                failure = helper + " --probe exited with " + rc;
            }
        } catch (IOException e) {
            failure = "cannot run " + helper + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        for (String name : HELPER_FEATURES) {
            if (rows.stream().noneMatch(r -> r.name().equals(name))) {
                rows.add(new Feature(name, false, failure != null ? failure : "not reported by " + helper + " --probe"));
            }
        }
        if (failure != null) {
            LOG.warn("kernel feature probe: {}", failure);
        }
        return rows;
    }

    /** Parses probe lines; lines that do not fit the format are ignored. */
    public static List<Feature> parseProbeOutput(String out) {
        List<Feature> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length >= 2 && (parts[1].equals("yes") || parts[1].equals("no"))) {
                rows.add(new Feature(parts[0], parts[1].equals("yes"), parts.length == 3 ? parts[2] : ""));
            }
        }
        return rows;
    }

    /** The machine architecture (x86_64, aarch64). */
    public String arch() {
        return arch;
    }

    public String kernelRelease() {
        return kernelRelease;
    }

    /** Whether NO_NEW_PRIVS is set or can be set (then filters can be installed unprivileged). */
    public boolean noNewPrivs() {
        return noNewPrivs;
    }

    /** Whether the process has CAP_SYS_ADMIN in its effective set. */
    public boolean capSysAdmin() {
        return capSysAdmin;
    }

    /** Every probed feature, in a stable order. */
    public List<Feature> features() {
        return features;
    }

    public Optional<Feature> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public boolean isAvailable(String name) {
        return feature(name).map(Feature::available).orElse(false);
    }

    /** The detail of an unavailable feature, e.g. to put in an error message. */
    public String cause(String name) {
        return feature(name).map(Feature::detail).orElse("unknown feature " + name);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("arch=").append(arch).append(" kernel=").append(kernelRelease)
                .append(" no_new_privs=").append(noNewPrivs).append(" cap_sys_admin=").append(capSysAdmin);
        for (Feature f : features) {
            b.append('\n').append(f.name()).append(' ').append(f.available() ? "yes" : "no").append(' ').append(f.detail());
        }
        return b.toString();
    }

    /** Keeps the arch lookup from failing the whole probe on an arch without a table. */
    private static final class LinuxAbiInfo {
        static String arch() {
            try {
                return Seccomp.archName();
            } catch (UnsupportedOperationException e) {
                return System.getProperty("os.arch") + " (unsupported: " + e.getMessage() + ")";
            }
        }
    }
}
