package org.attenuator.core.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.attenuator.core.Doctor;
import org.attenuator.core.DoctorReport;
import org.attenuator.core.DoctorReport.Check;
import org.attenuator.core.DoctorReport.Status;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.linux.KernelFeatures;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Turns the kernel probe into the doctor's table: which features supervision cannot do without,
 * and a verdict naming the first one missing. With the fallback plugin installed, a row
 * {@code keeper} (not required) says whether a supervisor crash would be covered.
 */
@Component(service = Doctor.class)
public final class DoctorService implements Doctor {

    /** What supervision needs, in display order: (probe name, display name, required). */
    private record Item(String probe, String display, boolean required) {
    }

    private static final List<Item> ITEMS = List.of(
            new Item("action_kill_process", "KILL_PROCESS", true),
            new Item("action_kill_thread", "KILL_THREAD", false),
            new Item("action_trap", "TRAP", false),
            new Item("action_errno", "ERRNO", true),
            new Item("action_trace", "TRACE", false),
            new Item("action_log", "LOG", false),
            new Item("action_allow", "ALLOW", true),
            new Item("action_user_notif", "RET_USER_NOTIF", true),
            new Item("user_notif", "USER_NOTIF (listener)", true),
            new Item("notif_sizes", "GET_NOTIF_SIZES", true),
            new Item("continue", "CONTINUE", true),
            new Item("pidfd_open", "pidfd_open", true),
            new Item("pidfd_getfd", "pidfd_getfd", true),
            new Item("addfd", "ADDFD", false),
            new Item("wait_killable_recv", "WAIT_KILLABLE_RECV", false),
            new Item("sync_wake_up", "SYNC_WAKE_UP", false),
            new Item("tsync_esrch", "TSYNC_ESRCH", false),
            new Item("epoll", "epoll + eventfd", true),
            new Item("process_vm_readv", "process_vm_readv", false),
            new Item("memfd_create", "memfd_create", false));

    private static final String PROBE = "attenuator-testhelper";

    private final Optional<Path> probe;
    private volatile KeeperStatus keeper;

    @Activate
    public DoctorService(BundleContext context) {
        this.probe = nativeDir(context).map(dir -> dir.resolve(PROBE)).filter(Files::isExecutable);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setKeeper(KeeperStatus status) {
        keeper = status;
    }

    void unsetKeeper(KeeperStatus status) {
        if (keeper == status) {
            keeper = null;
        }
    }

    /**
     * The keeper row: yes while it watches (pid, trees covered) or stands by with its executable in
     * place, else no with why; absent without the plugin.
     */
    static Optional<Check> keeperCheck(KeeperStatus status) {
        if (status == null) {
            return Optional.empty();
        }
        KeeperStatus.Report r = status.report();
        if (r.state() == KeeperStatus.State.WATCHING) {
            return Optional.of(new Check("keeper", Status.YES, false, "watching, pid " + r.keeperPid() + ", "
                    + r.trees().size() + " tree(s) covered, socket " + r.socket()));
        }
        if (r.state() == KeeperStatus.State.STANDBY) {
            return Optional.of(Files.isExecutable(r.keeper())
                    ? new Check("keeper", Status.YES, false, "standby: " + r.keeper() + " starts with the first supervised tree"
                            + " or --kernel-only launch whose profile denies execve (it answers that target's execve)")
                    : new Check("keeper", Status.NO, false, "standby, but " + r.keeper() + " is not an executable: " + REFUSED));
        }
        return Optional.of(new Check("keeper", Status.NO, false, r.state().name().toLowerCase() + ": " + r.detail()
                + (r.restarts() > 0 ? " (" + r.restarts() + " restart(s))" : "")
                + (r.state() == KeeperStatus.State.DISABLED ? "; a supervisor crash means ENOSYS for the workload, and "
                        + "--kernel-only with a profile that denies execve is refused" : "")));
    }

    /** What a missing keeper costs: the launches that need it do not start (never ENOSYS instead). */
    private static final String REFUSED = "supervised launches and --kernel-only ones whose profile denies execve are"
            + " refused; trees handed to the agent are supervised without a fallback (ENOSYS if it crashes)";

    /** The native executables: set for tests, else the distribution's bin/. */
    static Optional<Path> nativeDir(BundleContext context) {
        String dir = context.getProperty("attenuator.native.dir");
        if (dir != null) {
            return Optional.of(Path.of(dir));
        }
        return Optional.ofNullable(context.getProperty("attenuator.distribution")).map(d -> Path.of(d, "bin"));
    }

    @Override
    public DoctorReport examine() {
        KernelFeatures kernel = KernelFeatures.probe(probe);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("arch", Status.INFO, false, kernel.arch() + ", kernel " + kernel.kernelRelease()));
        boolean mayInstall = kernel.noNewPrivs() || kernel.capSysAdmin();
        checks.add(new Check("NO_NEW_PRIVS or CAP_SYS_ADMIN", mayInstall ? Status.YES : Status.NO, true,
                "no_new_privs " + (kernel.noNewPrivs() ? "settable" : "refused") + ", CAP_SYS_ADMIN "
                        + (kernel.capSysAdmin() ? "held" : "not held")));
        for (Item item : ITEMS) {
            Optional<KernelFeatures.Feature> feature = kernel.feature(item.probe());
            boolean available = feature.map(KernelFeatures.Feature::available).orElse(false);
            String detail = feature.map(KernelFeatures.Feature::detail).orElse("not probed");
            checks.add(new Check(item.display(), available ? Status.YES : Status.NO, item.required(), detail));
        }
        keeperCheck(keeper).ifPresent(checks::add);
        Optional<Check> missing = checks.stream().filter(c -> c.required() && c.status() == Status.NO).findFirst();
        String verdict = missing
                .map(c -> "Supervision is not possible here: " + c.name() + " is missing (" + c.detail() + ").")
                .orElse("Supervision is possible here.");
        return new DoctorReport(kernel.arch(), kernel.kernelRelease(), checks, missing.isEmpty(), verdict);
    }
}
