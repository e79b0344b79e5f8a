package org.attenuator.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.attenuator.core.spi.RoutedDenials;
import org.attenuator.core.spi.TreePolicy;

/**
 * What to launch and how: the command, its environment and directory, the profile, and the mode.
 * Immutable; build one with {@link #command(List)}. {@link Launcher#launch(Launch)} starts it.
 */
public final class Launch {

    /** Who decides the notified syscalls once the target runs. */
    public enum Mode {
        /** This framework's {@link Supervisor}: the tree is adopted with the launcher-exec marker. */
        SUPERVISED,
        /**
         * Nobody: the filter is evaluated purely in the kernel. Notified syscalls of the profile get
         * its undecided action in the kernel. If the profile does not allow execve, the launcher's own
         * exec is answered once and the listener closed: the target's later execve fail with ENOSYS.
         */
        KERNEL_ONLY,
        /** A running agent (OCI seccomp agent protocol, as runc speaks it) at {@link Launch#agentSocket()}. */
        AGENT
    }

    /** How the target's standard streams are connected. */
    public enum Stdio {
        /** The caller's own stdin, stdout and stderr. */
        INHERIT,
        /** Pipes readable and writable through {@link LaunchedProcess#process()} (tests, embedding). */
        PIPE
    }

    private final List<String> argv;
    private final Optional<Map<String, String>> environment;
    private final Optional<Path> directory;
    private final LaunchProfile profile;
    private final Mode mode;
    private final Optional<Path> agentSocket;
    private final Stdio stdio;
    private final Map<String, Object> properties;
    private final List<String> applyPoint;
    private final boolean kernelLog;
    private final boolean routeDenials;
    private final Optional<Set<String>> capabilities;
    private final boolean ownPidNamespace;
    private final Optional<Path> programCache;

    private Launch(Builder b) {
        this.argv = List.copyOf(b.argv);
        this.environment = b.environment == null ? Optional.empty() : Optional.of(Map.copyOf(b.environment));
        this.directory = Optional.ofNullable(b.directory);
        this.profile = b.profile;
        this.mode = b.mode;
        this.agentSocket = Optional.ofNullable(b.agentSocket);
        this.stdio = b.stdio;
        this.properties = Map.copyOf(b.properties);
        this.applyPoint = List.copyOf(b.applyPoint);
        this.kernelLog = b.kernelLog;
        this.routeDenials = b.routeDenials;
        this.capabilities = b.privileged ? Optional.empty() : Optional.of(b.capabilities);
        this.ownPidNamespace = b.ownPidNamespace;
        this.programCache = Optional.ofNullable(b.programCache);
    }

    /** A launch of {@code argv} (argv[0] is looked up in PATH when it has no '/'). */
    public static Builder command(List<String> argv) {
        return new Builder(argv);
    }

    public static Builder command(String... argv) {
        return command(List.of(argv));
    }

    public List<String> argv() {
        return argv;
    }

    /** The target's whole environment; empty: the caller's. */
    public Optional<Map<String, String>> environment() {
        return environment;
    }

    /** The target's working directory; empty: the caller's. */
    public Optional<Path> directory() {
        return directory;
    }

    /** The profile; {@link LaunchProfile#builtinDefault()} unless one was set. */
    public LaunchProfile profile() {
        return profile;
    }

    public Mode mode() {
        return mode;
    }

    /** The agent's socket, present exactly when {@link #mode()} is {@link Mode#AGENT}. */
    public Optional<Path> agentSocket() {
        return agentSocket;
    }

    public Stdio stdio() {
        return stdio;
    }

    /**
     * Extra tree properties for handler targeting and plugins (for example {@code learn.key},
     * {@code fallback}, {@link org.attenuator.api.SupervisedTree#AUDIT}); a supervised launch adds
     * them to the tree's own.
     */
    public Map<String, Object> properties() {
        return properties;
    }

    /**
     * Trigger syscalls of the tree's apply point (empty: none): they are notified, and the first of
     * them moves the tree from the init phase to the run phase ({@link TreePolicy}).
     */
    public List<String> applyPoint() {
        return applyPoint;
    }

    /**
     * Whether the filter is installed with SECCOMP_FILTER_FLAG_LOG: the kernel then logs every
     * action but allow (audit records of type SECCOMP, 1326: {@code dmesg}, {@code journalctl -k},
     * {@code ausearch -m SECCOMP}), so calls the kernel decides alone are logged too.
     */
    public boolean kernelLog() {
        return kernelLog;
    }

    /**
     * Whether the profile's denials (ERRNO, KILL_PROCESS, KILL_THREAD rules and default) are
     * notified instead of answered in the kernel, so that the supervisor logs them (the deny-log)
     * and answers each exactly as the kernel would have (see {@link RoutedDenials}). Supervised
     * launches only; without it the filter is the profile's as written.
     *
     * @since 0.5.0
     */
    public boolean routeDenials() {
        return routeDenials;
    }

    /**
     * The capabilities the target keeps, in every set (bounding, permitted, effective, inheritable,
     * ambient), as far as this process has them; empty: every capability of this process, untouched
     * (privileged). By default {@link TargetCapabilities#defaults()}: give the profile the same set
     * ({@link LaunchProfile#read(Path, Set)}) so that its capability-gated rules match the target.
     *
     * @since 0.3.0
     */
    public Optional<Set<String>> capabilities() {
        return capabilities;
    }

    /**
     * Whether the target runs in a pid namespace of its own (needs CAP_SYS_ADMIN), where it sees
     * and signals only its own processes: a reaper is pid 1 there (the process this launch's
     * {@link LaunchedProcess} is about: it forwards signals to the target, reaps orphans and exits
     * with the target's status, 128+N when signal N killed it), the target pid 2.
     *
     * @since 0.4.0
     */
    public boolean ownPidNamespace() {
        return ownPidNamespace;
    }

    /**
     * Where the launch keeps its compiled program for attenuator-client and for the next launch of
     * the same profile (docs/launch.md, "The native client"): a file in a directory only this uid or
     * root can change, written atomically, mode 0600, with the agent metadata of a launch with a
     * listener. A launch whose file holds its mode's program with its own metadata installs that
     * program instead of compiling the profile again. Set only by a caller that knows the launch is a
     * function of the profile and the mode alone (the file's name says which).
     * @since 0.7
     */
    public Optional<Path> programCache() {
        return programCache;
    }

    @Override
    public String toString() {
        return "Launch" + argv + "{mode=" + mode + ", profile=" + profile.name() + agentSocket.map(s -> ", agent=" + s).orElse("")
                + "}";
    }

    /** Collects a launch's settings. */
    public static final class Builder {
        private final List<String> argv;
        private Map<String, String> environment;
        private Path directory;
        private LaunchProfile profile;
        private Mode mode = Mode.SUPERVISED;
        private Path agentSocket;
        private Stdio stdio = Stdio.INHERIT;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<String> applyPoint = new ArrayList<>();
        private boolean kernelLog;
        private boolean routeDenials;
        private Set<String> capabilities;
        private boolean privileged;
        private boolean ownPidNamespace;
        private Path programCache;

        private Builder(List<String> argv) {
            this.argv = new ArrayList<>(argv);
            if (this.argv.isEmpty() || this.argv.get(0).isEmpty()) {
                throw new IllegalArgumentException("no command to launch");
            }
        }

        /** Replaces the whole environment of the target. */
        public Builder environment(Map<String, String> env) {
            this.environment = new LinkedHashMap<>(env);
            return this;
        }

        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        public Builder profile(LaunchProfile launchProfile) {
            this.profile = Objects.requireNonNull(launchProfile, "profile");
            return this;
        }

        /** {@link Mode#SUPERVISED} (the default) or {@link Mode#KERNEL_ONLY}; use {@link #agent(Path)} for an agent. */
        public Builder mode(Mode launchMode) {
            if (Objects.requireNonNull(launchMode, "mode") == Mode.AGENT) {
                throw new IllegalArgumentException("an agent launch needs the socket: use agent(Path)");
            }
            this.mode = launchMode;
            this.agentSocket = null;
            return this;
        }

        /** Installs the filter with SECCOMP_FILTER_FLAG_LOG, see {@link Launch#kernelLog()}. */
        public Builder kernelLog(boolean log) {
            this.kernelLog = log;
            return this;
        }

        /**
         * Routes the profile's denials through the supervisor, see {@link Launch#routeDenials()}.
         *
         * @since 0.5.0
         */
        public Builder routeDenials(boolean route) {
            this.routeDenials = route;
            return this;
        }

        /**
         * The target keeps these capabilities (as far as this process has them) and no others.
         *
         * @since 0.3.0
         */
        public Builder capabilities(Set<String> names) {
            this.capabilities = TargetCapabilities.of(names);
            this.privileged = false;
            return this;
        }

        /** The target keeps every capability of this process. */
        public Builder privileged() {
            this.privileged = true;
            return this;
        }

        /**
         * Runs the target in a pid namespace of its own, see {@link Launch#ownPidNamespace()}.
         *
         * @since 0.4.0
         */
        public Builder ownPidNamespace(boolean own) {
            this.ownPidNamespace = own;
            return this;
        }

        /** Keeps the compiled program in {@code file}, see {@link Launch#programCache()}. @since 0.7 */
        public Builder programCache(Path file) {
            if (!Objects.requireNonNull(file, "file").isAbsolute() || file.getParent() == null) {
                throw new IllegalArgumentException("a program cache file must be an absolute path: " + file);
            }
            this.programCache = file;
            return this;
        }

        public Builder kernelOnly() {
            return mode(Mode.KERNEL_ONLY);
        }

        /** Hands the tree to the agent listening at {@code socket}. */
        public Builder agent(Path socket) {
            this.mode = Mode.AGENT;
            this.agentSocket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        public Builder stdio(Stdio how) {
            this.stdio = Objects.requireNonNull(how, "stdio");
            return this;
        }

        /** Adds a tree property (see {@link Launch#properties()}). */
        public Builder property(String name, Object value) {
            properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds trigger syscalls to the apply point (see {@link Launch#applyPoint()}). */
        public Builder applyPoint(List<String> syscalls) {
            for (String s : syscalls) {
                if (Objects.requireNonNull(s, "syscall").isBlank()) {
                    throw new IllegalArgumentException("an apply point names syscalls");
                }
                if (!applyPoint.contains(s)) {
                    applyPoint.add(s);
                }
            }
            return this;
        }

        public Launch build() {
            if (mode == Mode.KERNEL_ONLY && !applyPoint.isEmpty()) {
                throw new IllegalArgumentException("an apply point needs a supervisor: not with kernel-only");
            }
            if (capabilities == null) {
                capabilities = TargetCapabilities.defaults();
            }
            if (profile == null) {
                profile = LaunchProfile.builtinDefault(privileged ? TargetCapabilities.caller() : capabilities);
            }
            if (mode == Mode.KERNEL_ONLY && !profile.applyPoint().isEmpty()) {
                throw new IllegalArgumentException("profile " + profile.name() + " names an apply point "
                        + profile.applyPoint() + ": it needs a supervisor, not kernel-only");
            }
            return new Launch(this);
        }
    }
}
