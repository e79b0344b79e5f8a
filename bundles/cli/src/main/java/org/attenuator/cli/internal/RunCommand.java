package org.attenuator.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallObserver;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.attenuator.launcher.DenyLogOption;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.NativeException;
import org.attenuator.plugin.fallback.Fallback;
import org.attenuator.profile.AttenuatorSettings;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileFiles;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ProfileSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code attenuator run [options] -- CMD [ARG...]}: runs CMD with its first instruction under the
 * profile's filter; stdin, stdout and stderr pass through, HUP, INT, QUIT, USR1, USR2, TERM and WINCH
 * are forwarded ({@link SignalRelay}), and the status is CMD's (128 + N when signal N killed it). Failures before CMD runs: 127 not found, 126
 * cannot execute, 2 bad arguments or profile, 125 anything else (no supervisor, agent gone,
 * attenuator-exec failing).
 *
 * <p>Learning ({@code --learn [KEY]}, through {@link Learner}): the learning filter allows
 * {@code Learning.BASE} in the kernel and notifies everything else, which the learning handler
 * allows and records; progress goes to stderr. {@code --profile learned:KEY} enforces a learned profile kernel-only; with {@code --apply-point}
 * supervised, its init-only syscalls allowed before the trigger and denied from it on.
 */
@Component(service = Subcommand.class)
public final class RunCommand implements Subcommand {

    static final String PROFILE = "--profile", KERNEL_ONLY = "--kernel-only", AGENT = "--agent", LEARN = "--learn",
            ENFORCE_AFTER = "--enforce-after", DENY_LOG = "--deny-log", AUDIT = "--audit", APPLY_POINT = "--apply-point",
            FALLBACK = "--fallback";
    static final String LEARNED = "learned:", BUILTIN = ProfileSource.BUILTIN_PREFIX;
    /** Observers hear of answers on a thread of their own: the routed kill's report may trail the exit. */
    private static final long ROUTED_KILL_WAIT_MILLIS = 2000;

    private final Launcher launcher;
    /** Null without the learning plugin. */
    private final Learner learner;
    private final BundleContext context;

    @Activate
    public RunCommand(@Reference Launcher launcher,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            Learner learner, BundleContext context) {
        this.launcher = launcher;
        this.learner = learner;
        this.context = context;
    }

    /** For tests: no learned profiles, no learning progress. */
    RunCommand(Launcher launcher) {
        this(launcher, null, null);
    }

    @Override
    public CommandSpec spec() {
        return RunSpec.SPEC;
    }

    /** The parsed options (package-private for tests). */
    record Options(Arguments args, List<String> command, Optional<String> learnKey, int enforceAfter,
            Optional<String> denyLog, boolean audit) {
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws CommandException {
        Options o = options(args);
        PrintStream err = terminal.err();
        // before any profile is read: a refused deny-log file ends the run before anything else is said
        Optional<Path> denyLog = o.denyLog().isPresent() ? Optional.of(routeDenyLog(o.denyLog().get())) : Optional.empty();
        if (o.args().flag(CapabilityOptions.PRIVILEGED)) {
            err.println(CapabilityOptions.PRIVILEGED_WARNING);
        }
        boolean learned = o.args().option(PROFILE).filter(p -> p.startsWith(LEARNED)).isPresent();
        Launch.Builder b = builder(o, learned ? requireLearner() : learner);
        Optional<Learner.Run> learning = Optional.empty();
        if (o.learnKey().isPresent()) {
            learning = requireLearner().learn(b, o.learnKey().get(), o.command(), o.enforceAfter(),
                    o.args().option(APPLY_POINT).isEmpty(), CapabilityOptions.evaluated(CapabilityOptions.kept(o.args())),
                    err);
        }
        if (denyLog.isPresent()) {
            err.println("attenuator: deny-log: " + denyLog.get());
        }
        Launch launch;
        try {
            launch = b.build();
            if (o.denyLog().isPresent()) {
                launch = DenyLogRun.configure(b, launch.mode(), o.audit()).build();
            }
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
        RunOptionModes.refuseForMode(o.args(), launch);
        if (launch.mode() == Launch.Mode.SUPERVISED) {
            KeeperServices.refuseUnboundSocket(context);
        }
        if (o.denyLog().isPresent() && launch.mode() == Launch.Mode.KERNEL_ONLY) {
            err.println("attenuator: deny-log: a kernel-only run has no supervisor after its start; the kernel logs its denials "
                    + "(SECCOMP_FILTER_FLAG_LOG: dmesg | grep type=1326, see docs/denylog.md)");
        }
        learning.ifPresent(Learner.Run::follow);
        ProfileKills kills = launch.routeDenials() && context != null ? new ProfileKills() : null;
        ServiceRegistration<SyscallObserver> killsRegistration = kills != null
                ? context.registerService(SyscallObserver.class, kills, null) : null;
        try {
            LaunchedProcess process;
            long started = System.nanoTime();
            try {
                ChildProcess.becomeSubreaper(); // if the fork server dies, the target becomes ours: its status is not lost
                process = launcher.launch(launch);
            } catch (NativeException e) {
                throw new CommandException(125, "cannot become a child subreaper: " + e.getMessage());
            } catch (LaunchException e) {
                throw new CommandException(e.status(), e.getMessage());
            }
            int status;
            try (process; SignalForwarding forwarding = SignalRelay.start(process::signal)) {
                status = process.waitFor();
                if (status == 128 + SigsysReport.SIGSYS) {
                    Optional<String> routedKill = kills == null ? Optional.empty()
                            : process.treeId().flatMap(id -> kills.killedFor(id, ROUTED_KILL_WAIT_MILLIS));
                    err.println(SigsysReport.line(process.pid(), launch.argv().get(0), started, routedKill));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException(130, "interrupted while waiting for " + launch.argv().get(0));
            }
            learning.ifPresent(Learner.Run::awaitEnd);
            return status;
        } finally {
            learning.ifPresent(Learner.Run::close);
            unregister(killsRegistration);
        }
    }

    static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }

    /** The launch the arguments describe, without learned profiles or learning; usage errors and bad profiles exit 2. */
    static Launch parse(List<String> args) throws CommandException {
        Options o = options(args);
        if (o.learnKey().isPresent()) {
            throw CommandException.badInput(LEARN + " needs the learning plugin");
        }
        Launch launch;
        try {
            launch = builder(o, null).build();
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        }
        RunOptionModes.refuseForMode(o.args(), launch);
        return launch;
    }

    static Options options(List<String> args) throws CommandException {
        return options(Arguments.parse(args, RunSpec.SPEC));
    }

    static Options options(Arguments a) throws CommandException {
        CapabilityOptions.kept(a); // bad names exit 2 before anything runs
        NamespaceOptions.ownPidNamespace(a);
        List<String> command = a.positionals();
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw CommandException.badInput("no program to run: attenuator run [OPTIONS] PROGRAM [ARG...]");
        }
        if (a.flag(KERNEL_ONLY) && a.option(AGENT).isPresent()) {
            throw CommandException.badInput(KERNEL_ONLY + " and " + AGENT + " exclude each other");
        }
        RunOptionModes.refuseWithAgent(a);
        Optional<String> learn = a.option(LEARN);
        if (learn.isPresent()) {
            for (String other : List.of(PROFILE, AGENT)) {
                if (a.option(other).isPresent()) {
                    throw CommandException.badInput(LEARN + " and " + other + " exclude each other");
                }
            }
            if (a.flag(KERNEL_ONLY)) {
                throw CommandException.badInput(LEARN + " and " + KERNEL_ONLY + " exclude each other");
            }
        }
        int enforceAfter = 0;
        if (a.option(ENFORCE_AFTER).isPresent()) {
            if (learn.isEmpty()) {
                throw CommandException.badInput(ENFORCE_AFTER + " goes with " + LEARN);
            }
            enforceAfter = positiveInt(a.option(ENFORCE_AFTER).get(), ENFORCE_AFTER);
        }
        if (a.flag(AUDIT) && a.option(DENY_LOG).isEmpty()) {
            throw CommandException.badInput(AUDIT + " goes with " + DENY_LOG + ": it logs what would be denied");
        }
        if (a.flag(AUDIT) && (a.flag(KERNEL_ONLY) || a.option(AGENT).isPresent() || learn.isPresent())) {
            throw CommandException.badInput(AUDIT + " needs this process's supervisor (not with " + KERNEL_ONLY + ", "
                    + AGENT + " or " + LEARN + ")");
        }
        if (a.option(PROFILE).filter(p -> p.startsWith(LEARNED)).isPresent()
                && a.option(AGENT).isPresent()) {
            throw CommandException.badInput(PROFILE + " " + LEARNED + "KEY runs in this process (kernel-only, or "
                    + "supervised with " + APPLY_POINT + "): not with " + AGENT);
        }
        return new Options(a, command, learn, enforceAfter, a.option(DENY_LOG), a.flag(AUDIT));
    }

    /** The launch; {@code learner} (null if absent) resolves {@code learned:KEY}, learning is added by run(). */
    private static Launch.Builder builder(Options o, Learner learner) throws CommandException {
        Arguments a = o.args();
        Launch.Builder b = Launch.command(o.command());
        Optional<Set<String>> kept = CapabilityOptions.kept(a);
        kept.ifPresentOrElse(b::capabilities, b::privileged);
        b.ownPidNamespace(NamespaceOptions.ownPidNamespace(a));
        Set<String> caps = CapabilityOptions.evaluated(kept); // the profile's capability rules see what the target has
        SignalRelay.targetEnvironment().ifPresent(b::environment);
        if (a.flag(KERNEL_ONLY)) {
            b.kernelOnly();
        }
        a.option(AGENT).ifPresent(s -> b.agent(Path.of(s)));
        Optional<String> ref = a.option(PROFILE);
        LaunchProfile profile = null;
        AttenuatorSettings fileSettings = null; // the profile file's extension: its fallback
        // the text compiled, whose program attenuator-client may run the next time without a JVM
        String clientText = ref.isEmpty() ? BuiltinProfiles.json(BuiltinProfiles.DOCKER_DEFAULT).orElse(null) : null;
        if (ref.isPresent() && ref.get().startsWith(BUILTIN)) {
            String name = ref.get().substring(BUILTIN.length());
            profile = LaunchProfile.builtin(name, caps)
                    .orElseThrow(() -> CommandException.badInput(BuiltinProfiles.unknown(name)));
        } else if (ref.isPresent() && !ref.get().startsWith(LEARNED)) {
            try {
                Path file = Path.of(ref.get());
                clientText = ProfileFiles.read(file);
                Profile read = ProfileReader.parse(clientText, file.toString());
                profile = LaunchProfile.of(read, file, caps);
                fileSettings = read.attenuator();
            } catch (CompileException | IllegalArgumentException e) {
                throw CommandException.badInput("profile " + e.getMessage());
            }
        } else if (ref.isPresent()) {
            if (learner == null) {
                throw CommandException.badInput(PROFILE + " " + ref.get() + ": learned profiles need the learning plugin");
            }
            profile = learner.learned(ref.get().substring(LEARNED.length()), caps);
            if (a.option(APPLY_POINT).isEmpty()) {
                b.kernelOnly(); // with an apply point: supervised, init-only syscalls denied after the trigger
            }
        }
        if (o.audit()) {
            profile = (profile != null ? profile : LaunchProfile.builtinDefault(caps)).auditing();
            b.property(SupervisedTree.AUDIT, "true");
        }
        if (profile != null) {
            b.profile(profile);
        }
        if (a.option(APPLY_POINT).isPresent()) {
            b.applyPoint(syscalls(a.option(APPLY_POINT).get()));
        }
        if (a.option(FALLBACK).isPresent()) {
            b.property(Fallback.TREE_PROPERTY, fallback(a.option(FALLBACK).get()));
        } else {
            profileFallback(fileSettings).ifPresent(f -> b.property(Fallback.TREE_PROPERTY, f));
        }
        if (clientText != null) {
            ProgramCacheKey.file(a, clientText).ifPresent(b::programCache);
        }
        return b;
    }

    /**
     * The profile's {@code "attenuator": {"fallback": ...}} as the fallback plugin's tree property
     * ({@code errno:EPERM,write=allow}: the default, then NAME=ACTION); empty without one.
     */
    static Optional<String> profileFallback(AttenuatorSettings ext) {
        if (ext == null || ext.fallback() == null) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(ext.fallback().defaultDecision().toString());
        ext.fallback().syscalls().forEach((name, d) -> text.append(',').append(name).append('=').append(d));
        return Optional.of(text.toString());
    }

    /** Has the launcher route the deny-log to {@code value} (empty: the default file); a planted file exits 2. */
    static Path routeDenyLog(String value) throws CommandException {
        try {
            return DenyLogOption.route(value);
        } catch (IOException e) {
            throw CommandException.badInput(e.getMessage());
        }
    }

    /** {@code allow}, {@code kill} or {@code errno:NAME} (a known errno name or number), normalized. */
    static String fallback(String value) throws CommandException {
        Optional<AttenuatorSettings.Decision> d = AttenuatorSettings.Decision.parse(value.strip());
        if (d.isEmpty()) {
            throw CommandException.badInput(FALLBACK + " must be allow, kill or errno:NAME (errno:EPERM), not '"
                    + value + "'");
        }
        return d.get().toString();
    }

    /** {@code listen,accept4}: known syscall names of this machine. */
    static List<String> syscalls(String list) throws CommandException {
        List<String> names = new ArrayList<>();
        SyscallTable table = SyscallTable.of(Arch.host().orElse(Arch.X86_64));
        for (String name : list.split(",", -1)) { // -1: "listen," names an empty syscall, refused
            String n = name.strip();
            if (n.isEmpty() || table.number(n).isEmpty()) {
                throw CommandException.badInput(APPLY_POINT + ": unknown syscall '" + n + "'");
            }
            names.add(n);
        }
        return names;
    }

    private static int positiveInt(String value, String option) throws CommandException {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw CommandException.badInput(option + " must be at least 1: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw CommandException.badInput(option + " is not a number: " + value);
        }
    }

    private Learner requireLearner() throws CommandException {
        if (learner == null) {
            throw new CommandException(125, "learned profiles need the learning plugin (org.attenuator.plugin.learning)");
        }
        return learner;
    }
}
