package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.api.SupervisedTree;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.Launch;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.attenuator.core.Supervisor;
import org.attenuator.core.TreeSpec;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Notification;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.attenuator.linux.Seccomp;
import org.attenuator.linux.UnixSocket;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Launches through attenuator-exec (see its top comment for the protocol). In order: resolve the
 * command (127/126 before anything is spawned), compile the plan's filter, write it to a 0600 file
 * in a private 0700 directory with the 0600 control socket, connect to the agent if any, spawn
 * attenuator-exec, take the listener (SO_PEERCRED, announce line, pidfd_getfd, link check), hand it
 * on, wait until the target's exec went through, delete the directory. Any failure kills and
 * reaps the launcher before the exception leaves.
 */
@Component(service = Launcher.class)
public final class LauncherService implements Launcher {

    static final String EXEC = "attenuator-exec";
    private static final String SECCOMP_LINK = "anon_inode:seccomp notify";
    private static final Pattern ANNOUNCE = Pattern.compile("attenuator-exec 1 pid=(\\d+) listener=(\\d+)\n");
    private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final Optional<Path> execPath;
    private final Path runBase;
    private final Supervisor supervisor;
    private final FilterCompiler compiler = FilterCompiler.create();
    /** Compiled programs by (profile, mode): profiles are immutable values, and compiling takes ~1 ms. */
    private final Map<List<Object>, byte[]> programs = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_PROGRAMS = 32;

    @Activate
    public LauncherService(BundleContext context,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            Supervisor supervisor) {
        this(nativeDir(context).map(d -> d.resolve(EXEC)), runBase(), supervisor);
    }

    /**
     * @param execPath attenuator-exec, empty if not installed (every launch then fails with SETUP)
     * @param runBase where the per-launch private directories go
     * @param supervisor for {@link Mode#SUPERVISED}; null if none runs here
     */
    public LauncherService(Optional<Path> execPath, Path runBase, Supervisor supervisor) {
        this.execPath = execPath;
        this.runBase = runBase;
        this.supervisor = supervisor;
    }

    static Optional<Path> nativeDir(BundleContext context) {
        String dir = context.getProperty("attenuator.native.dir");
        if (dir != null) {
            return Optional.of(Path.of(dir));
        }
        return Optional.ofNullable(context.getProperty("attenuator.distribution")).map(d -> Path.of(d, "bin"));
    }

    /** A short private directory for the control sockets: see {@link RunDirectory}. */
    static Path runBase() {
        return RunDirectory.base(System.getenv(), RunDirectory.uid());
    }

    @Override
    public LaunchedProcess launch(Launch launch) throws LaunchException {
        Path executable = resolve(launch);
        Path exec = execPath.filter(Files::isExecutable).orElseThrow(() -> new LaunchException(Reason.SETUP,
                EXEC + " not found" + execPath.map(p -> " at " + p).orElse(" (attenuator.native.dir is not set)")));
        if (launch.mode() == Mode.SUPERVISED && supervisor == null) {
            throw new LaunchException(Reason.SETUP, "no supervisor runs in this framework (try --kernel-only or --agent)");
        }
        LaunchPlan plan = LaunchPlan.of(launch.profile(), launch.mode(), launch.applyPoint());
        byte[] program = compile(launch, plan);
        try (PrivateDir dir = PrivateDir.create(RunDirectory.ensurePrivate(runBase));
                UnixSocket control = plan.controlled() ? dir.listen("control.sock") : null;
                UnixSocket agent = launch.mode() == Mode.AGENT ? AgentHandover.connect(launch.agentSocket().get()) : null) {
            Path programFile = dir.write("filter.bpf", program);
            List<String> cmd = new ArrayList<>(List.of(exec.toString(), "--program", programFile.toString()));
            if (control != null) {
                cmd.addAll(List.of("--control", dir.path().resolve("control.sock").toString()));
            }
            cmd.add("--");
            cmd.addAll(launch.argv());
            return start(launch, plan, exec, executable, cmd, control, agent);
        } catch (IOException e) {
            throw new LaunchException(Reason.SETUP, "preparing the launch: " + e.getMessage(), e);
        }
    }

    private byte[] compile(Launch launch, LaunchPlan plan) throws LaunchException {
        List<Object> key = List.of(launch.profile(), launch.mode() == Mode.KERNEL_ONLY, launch.applyPoint());
        byte[] program = programs.get(key);
        if (program == null) {
            try {
                program = compiler.compile(plan.filter()).program().toBytes();
            } catch (CompileException | IllegalArgumentException e) {
                throw new LaunchException(Reason.BAD_PROFILE, "profile " + launch.profile().name() + ": " + e.getMessage(), e);
            }
            if (programs.size() >= MAX_CACHED_PROGRAMS) {
                programs.clear();
            }
            programs.put(key, program);
        }
        return program;
    }

    private LaunchedProcess start(Launch launch, LaunchPlan plan, Path exec, Path executable, List<String> cmd,
            UnixSocket control, UnixSocket agent) throws LaunchException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        launch.environment().ifPresent(env -> {
            pb.environment().clear();
            pb.environment().putAll(env);
        });
        launch.directory().ifPresent(d -> pb.directory(d.toFile()));
        if (launch.stdio() == Launch.Stdio.INHERIT) {
            pb.inheritIO();
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LaunchException(Reason.SETUP, "cannot start " + exec + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
        Pidfd pidfd = null;
        boolean success = false;
        try {
            pidfd = openPidfd(process, control != null);
            Optional<String> treeId = Optional.empty();
            if (control != null) {
                NotifyListener listener = takeListener(control, process, pidfd, deadline);
                switch (launch.mode()) {
                    case SUPERVISED -> {
                        Map<String, Object> props = new HashMap<>(launch.properties());
                        props.put(SupervisedTree.EXECUTABLE, executable.toString());
                        props.put(SupervisedTree.PROFILE, launch.profile().name());
                        treeId = Optional.of(supervisor.adopt(listener,
                                TreeSpec.launched(process.pid(), props, plan.treePolicy())).id());
                    }
                    case KERNEL_ONLY -> {
                        try (listener) {
                            answerLauncherExec(listener, process, deadline);
                        }
                    }
                    case AGENT -> {
                        try (listener) {
                            answerLauncherExec(listener, process, deadline);
                            AgentHandover.send(agent, listener, process.pid(), launch, executable);
                        }
                    }
                }
            }
            awaitExec(process, exec, deadline);
            success = true;
            return new LaunchedProcessImpl(launch, process, pidfd, treeId);
        } catch (IOException e) {
            throw new LaunchException(Reason.SETUP, e.getMessage(), e);
        } finally {
            if (!success) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (pidfd != null) {
                    closeQuietly(pidfd);
                }
            }
        }
    }

    /**
     * A pidfd for the JDK's child. The JDK reaps it, so a pidfd is only certain to be this process's
     * if the process is still unreaped after pidfd_open returned; a target that already ended gets
     * none (signals to it are moot). In controlled modes the launcher must still be there.
     */
    private static Pidfd openPidfd(Process process, boolean mustLive) throws IOException, LaunchException {
        Pidfd pidfd = null;
        try {
            pidfd = Pidfd.open((int) process.pid());
        } catch (NativeException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
        if (process.isAlive()) {
            return pidfd;
        }
        if (pidfd != null) {
            closeQuietly(pidfd);
        }
        if (mustLive) {
            throw exitedEarly(process, null);
        }
        return null;
    }

    /** The file the kernel will exec, found as execvp does; 127 / 126 here, before anything runs. */
    static Path resolve(Launch launch) throws LaunchException {
        String name = launch.argv().get(0);
        Path cwd = launch.directory().orElse(Path.of("").toAbsolutePath());
        if (name.contains("/")) {
            Path p = cwd.resolve(name);
            if (!Files.exists(p)) {
                throw new LaunchException(Reason.NOT_FOUND, name + ": no such file or directory");
            }
            return checkExecutable(name, p);
        }
        String path = launch.environment().map(e -> e.get("PATH")).orElse(System.getenv("PATH"));
        Path denied = null;
        for (String dir : (path == null ? DEFAULT_PATH : path).split(":", -1)) {
            Path p = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(name);
            if (Files.isRegularFile(p)) {
                if (Files.isExecutable(p)) {
                    return checkExecutable(name, p);
                }
                denied = denied == null ? p : denied;
            }
        }
        if (denied != null) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": permission denied (" + denied + ")");
        }
        throw new LaunchException(Reason.NOT_FOUND, name + ": command not found");
    }

    private static Path checkExecutable(String name, Path p) throws LaunchException {
        if (Files.isDirectory(p)) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": is a directory");
        }
        if (!Files.isExecutable(p)) {
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": permission denied");
        }
        byte[] head = new byte[4];
        int n;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return p; // execute-only or unreadable: the kernel decides
        }
        boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        boolean script = n >= 2 && head[0] == '#' && head[1] == '!';
        if (!elf && !script) {
            // attenuator-exec does not retry with /bin/sh as execvp would (ENOEXEC, 126)
            throw new LaunchException(Reason.CANNOT_EXECUTE, name + ": exec format error (neither ELF nor #!)");
        }
        return p;
    }

    /** Accepts the launcher's connection, checks it, and takes the listener it announced. */
    private static NotifyListener takeListener(UnixSocket control, Process process, Pidfd pidfd, long deadline)
            throws IOException, LaunchException {
        control.setReceiveTimeout(java.time.Duration.ofMillis(20));
        UnixSocket accepted = null;
        while (accepted == null) {
            try {
                accepted = control.accept();
            } catch (NativeException e) {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EINTR) {
                    throw e;
                }
                checkProgress(process, deadline, "waiting for " + EXEC + " to connect");
            }
        }
        int announced;
        try (UnixSocket conn = accepted) {
            UnixSocket.PeerCredentials peer = conn.peerCredentials();
            if (peer.pid() != process.pid()) {
                throw new LaunchException(Reason.SETUP, "control socket: peer pid " + peer.pid()
                        + " is not the launcher " + process.pid());
            }
            conn.setReceiveTimeout(java.time.Duration.ofSeconds(5));
            byte[] buf = new byte[128];
            int len = 0;
            while (len == 0 || buf[len - 1] != '\n') {
                int n = conn.receive(buf, len, buf.length - len, new ArrayList<>());
                if (n == 0 || len + n == buf.length && buf[len + n - 1] != '\n') {
                    throw exitedEarly(process, "control socket: no announce line from " + EXEC);
                }
                len += n;
            }
            String line = new String(buf, 0, len, StandardCharsets.US_ASCII);
            Matcher m = ANNOUNCE.matcher(line);
            if (!m.matches() || Long.parseLong(m.group(1)) != process.pid()) {
                throw new LaunchException(Reason.SETUP, "control socket: unexpected announce " + line.strip());
            }
            announced = Integer.parseInt(m.group(2));
        }
        Fd fd = null;
        while (fd == null) {
            try {
                fd = pidfd.getFd(announced);
            } catch (NativeException e) {
                if (e.errno() != Errno.EBADF) {
                    checkProgress(process, deadline, "taking the listener");
                    throw e;
                }
                checkProgress(process, deadline, "waiting for the listener");
                Thread.onSpinWait();
            }
        }
        boolean ok = false;
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.intValue())).toString();
            if (!link.equals(SECCOMP_LINK)) {
                throw new LaunchException(Reason.SETUP, "fd " + announced + " of the launcher is " + link
                        + ", not a seccomp listener");
            }
            ok = true;
            return NotifyListener.adopt(fd);
        } finally {
            if (!ok) {
                fd.close();
            }
        }
    }

    /**
     * Answers the launcher's own execve: the listener's first notification, which must come from
     * the launcher's pid, for execve or execveat of this machine's ABI.
     */
    static void answerLauncherExec(NotifyListener listener, Process process, long deadline)
            throws IOException, LaunchException {
        try (Epoll epoll = Epoll.create()) {
            epoll.add(listener, Epoll.IN, 0);
            Epoll.Events events = new Epoll.Events(1);
            while (epoll.wait(events, 20) == 0 || (events.events(0) & Epoll.IN) == 0) {
                checkProgress(process, deadline, "waiting for the launcher's exec");
            }
        }
        Notification n = new Notification();
        listener.receive(n);
        Arch host = Arch.host().orElse(Arch.X86_64);
        SyscallTable table = SyscallTable.of(host);
        String name = table.name(n.nr()).orElse("#" + n.nr());
        if (n.pid() != process.pid() || n.arch() != Seccomp.nativeAuditArch() || !LaunchPlan.EXEC.contains(name)) {
            listener.sendError(n.id(), Errno.EPERM);
            throw new LaunchException(Reason.SETUP, "first notification is " + name + " from pid " + n.pid()
                    + ", not the launcher's exec");
        }
        listener.sendContinue(n.id());
    }

    /**
     * Waits until the launcher's exec went through (its /proc/PID/exe is no longer attenuator-exec)
     * or the process ended: a target may exit before it is seen, so an end here is not an error;
     * its status tells the caller (attenuator-exec's own failures after the hand-over are 126/127
     * with a line on stderr, and the command was checked before the spawn).
     */
    private static void awaitExec(Process process, Path exec, long deadline) throws IOException, LaunchException {
        Path exe = Path.of("/proc/" + process.pid() + "/exe");
        Path launcher = exec.toRealPath();
        long pause = 10_000;
        while (process.isAlive()) {
            try {
                if (!Files.readSymbolicLink(exe).equals(launcher)) {
                    return;
                }
            } catch (IOException e) {
                return; // exiting: nothing more to wait for
            }
            if (System.nanoTime() - deadline > 0) {
                throw new LaunchException(Reason.SETUP, "timed out waiting for the target's exec");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
    }

    private static void checkProgress(Process process, long deadline, String doing) throws LaunchException {
        if (!process.isAlive()) {
            throw exitedEarly(process, null);
        }
        if (System.nanoTime() - deadline > 0) {
            throw new LaunchException(Reason.SETUP, "timed out " + doing);
        }
    }

    /** attenuator-exec ended before the exec: its status says why (its own line is on stderr). */
    private static LaunchException exitedEarly(Process process, String what) {
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LaunchException(Reason.SETUP, "interrupted");
        }
        String detail = what != null ? what + "; " : "";
        return switch (status) {
            case 127 -> new LaunchException(Reason.NOT_FOUND, detail + EXEC + ": target not found (status 127)");
            case 126 -> new LaunchException(Reason.CANNOT_EXECUTE, detail + EXEC + ": cannot execute the target (status 126)");
            default -> new LaunchException(Reason.SETUP, detail + EXEC + " failed before exec (status " + status + ")");
        };
    }

    static void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            // closing once is all we can do
        }
    }
}
