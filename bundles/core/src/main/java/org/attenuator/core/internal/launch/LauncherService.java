package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.attenuator.api.SupervisedTree;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.core.Executables;
import org.attenuator.core.Launch;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.core.spi.RoutedDenials;
import org.attenuator.core.Supervisor;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Notification;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.RefusedPathException;
import org.attenuator.linux.UnixSocket;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.attenuator.core.internal.launch.ProgramCache.Variant;
import org.slf4j.LoggerFactory;

/**
 * Launches through the fork server {@code attenuator-exec --serve} ({@link ForkServer}), started
 * lazily, restarted when it died, killed on {@link #close()}. Per launch: resolve the command
 * (127/126 before anything runs), compile the filter, connect to the agent if any, send the
 * request, get the child's pid and pidfd, take the listener, hand it on (supervisor, keeper or
 * agent), wait for EOF on the channel (the exec went through). Any failure kills the child first.
 */
@Component(service = Launcher.class)
public final class LauncherService implements Launcher, AutoCloseable {

    static final String EXEC = "attenuator-exec";
    private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(LauncherService.class);
    /** The JVM's own 0, 1, 2, sent for {@link Launch.Stdio#INHERIT}; never closed. */
    private static final Fd STDIN = Fd.adopt(0), STDOUT = Fd.adopt(1), STDERR = Fd.adopt(2);

    private final Optional<Path> execPath;
    private final Object serverLock = new Object();
    private ForkServer server;
    private boolean closed;
    /**
     * Spawns the fork server and lives as long as this service: the server's PR_SET_PDEATHSIG
     * fires when the thread that spawned it ends, not only when the JVM does.
     */
    private final java.util.concurrent.ExecutorService spawner = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "attenuator-exec-spawner");
        t.setDaemon(true);
        return t;
    });
    private final Path runBase;
    private final Supervisor supervisor;
    /** attenuator-keeper (the fallback plugin): answers a kernel-only launch's notified exec path; may be null. */
    private final ListenerCustodian custodian;
    private final ProgramCache programs = new ProgramCache();

    @Activate
    public LauncherService(BundleContext context,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            Supervisor supervisor,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ListenerCustodian custodian) {
        this(nativeDir(context).map(d -> d.resolve(EXEC)), runBase(), supervisor, custodian);
        org.attenuator.core.internal.NonDumpable.ensure();
    }

    /**
     * @param execPath attenuator-exec, empty if not installed (every launch then fails with SETUP)
     * @param runBase where the fork server's private directory (its socket) goes
     * @param supervisor for {@link Mode#SUPERVISED}; null if none runs here
     */
    public LauncherService(Optional<Path> execPath, Path runBase, Supervisor supervisor) {
        this(execPath, runBase, supervisor, null);
    }

    /** @param custodian answers a kernel-only launch's notified exec path (see {@link LauncherExec}); may be null */
    public LauncherService(Optional<Path> execPath, Path runBase, Supervisor supervisor, ListenerCustodian custodian) {
        this.execPath = execPath;
        this.runBase = runBase;
        this.supervisor = supervisor;
        this.custodian = custodian;
    }

    static Optional<Path> nativeDir(BundleContext context) {
        String dir = context.getProperty("attenuator.native.dir");
        if (dir != null) {
            return Optional.of(Path.of(dir));
        }
        return Optional.ofNullable(context.getProperty("attenuator.distribution")).map(d -> Path.of(d, "bin"));
    }

    /** Where the fork server's private directory goes: see {@link PrivateDir}. */
    static Path runBase() {
        return AttenuatorPaths.runtime();
    }

    @Override
    public LaunchedProcess launch(Launch launch) throws LaunchException {
        Path executable = resolve(launch).toAbsolutePath();
        if (launch.mode() == Mode.SUPERVISED && supervisor == null) {
            throw new LaunchException(Reason.SETUP, "no supervisor runs in this framework (try --kernel-only or --agent)");
        }
        boolean route = launch.routeDenials() && launch.mode() == Mode.SUPERVISED;
        LaunchPlan plan = LaunchPlan.of(launch.profile(), launch.mode(), launch.applyPoint(), route);
        Optional<byte[]> stored = ProgramCacheEntry.load(launch, plan, route);
        byte[] program = stored.isPresent() ? stored.get()
                : programs.program(launch, plan.filter(), route ? Variant.ROUTED : Variant.AS_WRITTEN);
        if (plan.routing().isPresent()) {
            plan = withRoutedDenials(launch, plan, plan.routing().get());
        }
        byte[] request = ExecRequest.encode(launch, plan, executable, program);
        if (launch.mode() == Mode.AGENT) {
            AgentHandover.properties(launch); // a property that cannot travel fails before anything is spawned
        }
        try (UnixSocket agent = launch.mode() == Mode.AGENT ? AgentHandover.connect(launch.agentSocket().get()) : null) {
            LaunchedProcess process = start(launch, plan, executable, request, agent);
            if (stored.isEmpty()) {
                ProgramCacheEntry.store(launch, plan, route, program);
            }
            return process;
        } catch (IOException e) {
            throw new LaunchException(Reason.SETUP, "preparing the launch: " + e.getMessage(), e);
        }
    }

    /** The running fork server, started (or restarted) on the spawner thread when needed. */
    ForkServer server() throws LaunchException {
        synchronized (serverLock) {
            if (closed) {
                throw new LaunchException(Reason.SETUP, "the launcher is stopped");
            }
            if (server != null && server.alive()) {
                return server;
            }
            Path exec = execPath.filter(Files::isExecutable).orElseThrow(() -> new LaunchException(Reason.SETUP,
                    EXEC + " not found" + execPath.map(p -> " at " + p).orElse(" (attenuator.native.dir is not set)")));
            if (server != null) {
                LOG.warn("{} --serve (pid {}) died; starting a new one", EXEC, server.pid());
                server.close(); // joins its reader, which has reaped it
            }
            try {
                server = spawner.submit(() -> ForkServer.start(exec, runBase)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException(Reason.SETUP, "interrupted starting " + EXEC);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RefusedPathException refused) {
                    throw new LaunchException(Reason.REFUSED_PATH, refused.getMessage(), refused);
                }
                throw new LaunchException(Reason.SETUP, "cannot start " + exec + " --serve: " + e.getCause().getMessage(),
                        e.getCause());
            }
            return server;
        }
    }

    /** The fork server's pid, if one runs (tests). */
    Optional<Integer> serverPid() {
        synchronized (serverLock) {
            return Optional.ofNullable(server).filter(ForkServer::alive).map(ForkServer::pid);
        }
    }

    /**
     * No more launches; the fork server stops once the targets it forked have ended (their exit
     * statuses still arrive), or at once when none runs. The spawner thread ends after it: the
     * server's PR_SET_PDEATHSIG is tied to that thread.
     */
    @Deactivate
    @Override
    public void close() {
        synchronized (serverLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.closeWhenIdle(spawner::shutdown);
                server = null;
            } else {
                spawner.shutdown();
            }
        }
    }

    /** The plan whose tree policy answers the routed denials as {@code routing}'s kernel filter would. */
    private LaunchPlan withRoutedDenials(Launch launch, LaunchPlan plan, DenialRouting routing) throws LaunchException {
        byte[] kernel = programs.program(launch, routing.kernelFilter(), Variant.AS_WRITTEN);
        RoutedDenials denials = new RoutedDenials(BpfProgram.fromBytes(kernel), routing.answers(), routing.otherwise(),
                routing.notified());
        return new LaunchPlan(plan.filter(), plan.treePolicy().toBuilder().routedDenials(denials).build(), plan.controlled(),
                plan.routing());
    }

    /** Sends the request (restarting a dead server once), then does what the mode needs up to the target's exec. */
    private LaunchedProcess start(Launch launch, LaunchPlan plan, Path executable, byte[] request, UnixSocket agent)
            throws IOException, LaunchException {
        long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
        List<Fd> ours = new ArrayList<>(); // the JVM's ends: pipes for PIPE, the channel
        List<Fd> theirs = new ArrayList<>(); // sent to the server, closed here after the send
        Fd stdin = null;
        Fd stdout = null;
        Fd stderr = null;
        UnixSocket channel;
        ForkServer.Spawned spawned = null;
        boolean success = false;
        try {
            UnixSocket[] pair = UnixSocket.pair();
            channel = pair[0];
            ours.add(channel);
            theirs.add(pair[1]);
            if (launch.stdio() == Launch.Stdio.PIPE) {
                Fd[] in = Fd.pipe();
                Fd[] out = Fd.pipe();
                Fd[] err = Fd.pipe();
                stdin = in[1];
                stdout = out[0];
                stderr = err[0];
                ours.addAll(List.of(stdin, stdout, stderr));
                theirs.addAll(List.of(in[0], out[1], err[1]));
            }
            Fd[] fds = launch.stdio() == Launch.Stdio.PIPE ? theirs.toArray(Fd[]::new)
                    : new Fd[] {theirs.get(0), STDIN, STDOUT, STDERR};
            for (int attempt = 0; spawned == null; attempt++) {
                ForkServer server = server();
                try {
                    spawned = server.exec(request, fds);
                } catch (ForkServer.Gone e) {
                    if (attempt > 0) {
                        throw e;
                    }
                    // died before it forked: a new one gets the same request
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaunchException(Reason.SETUP, "interrupted");
                }
            }
            theirs.forEach(LauncherService::closeQuietly);
            Optional<String> treeId = Optional.empty();
            if (plan.controlled()) {
                AnnouncedListener announced = AnnouncedListener.take(channel, spawned, launch.ownPidNamespace(), deadline);
                ForkServer.Spawned target = announced.target();
                NotifyListener listener = announced.listener();
                if (target != spawned) {
                    closeQuietly(target.pidfd()); // the listener is all the target's pidfd was for
                }
                switch (launch.mode()) {
                    case SUPERVISED -> {
                        Map<String, Object> props = new HashMap<>(launch.properties());
                        props.put(SupervisedTree.EXECUTABLE, executable.toString());
                        props.put(SupervisedTree.PROFILE, launch.profile().name());
                        treeId = Optional.of(supervisor.adopt(listener,
                                TreeSpec.launched(target.pid(), props, plan.treePolicy())).id());
                    }
                    case KERNEL_ONLY -> {
                        try (listener) {
                            Notification exec = LauncherExec.receive(listener, target, deadline);
                            LauncherExec.handToKeeper(custodian, listener, target, plan);
                            listener.sendContinue(exec.id());
                        }
                    }
                    case AGENT -> {
                        try (listener) {
                            listener.sendContinue(LauncherExec.receive(listener, target, deadline).id());
                            AgentHandover.send(agent, listener, target.pid(), launch, executable);
                        }
                    }
                }
            }
            // from the hand-over on: a keeper being started for the tree has its own bound
            awaitExec(channel, spawned, System.nanoTime() + SETUP_TIMEOUT_NANOS);
            closeQuietly(channel);
            success = true;
            return new LaunchedProcessImpl(launch, spawned, treeId, stdin, stdout, stderr);
        } catch (NativeException e) {
            throw new LaunchException(Reason.SETUP, e.getMessage(), e);
        } finally {
            theirs.forEach(LauncherService::closeQuietly);
            if (!success) {
                ours.forEach(LauncherService::closeQuietly);
                if (spawned != null) {
                    try {
                        spawned.pidfd().sendSignal(ChildProcess.SIGKILL);
                        spawned.exit().get(5, TimeUnit.SECONDS); // reaped by the server
                    } catch (Exception e) {
                        LOG.debug("killing pid {} of a failed launch", spawned.pid(), e);
                    }
                    closeQuietly(spawned.pidfd());
                }
            }
        }
    }

    /** The file the kernel will exec, found as execvp does; 127 / 126 here, before anything runs. */
    static Path resolve(Launch launch) throws LaunchException {
        return Executables.find(launch.argv().get(0), launch.directory().orElse(Path.of("").toAbsolutePath()),
                Optional.ofNullable(launch.environment().map(e -> e.get("PATH")).orElse(System.getenv("PATH"))));
    }

    /**
     * Waits for EOF on the channel, which the child holds close-on-exec: its exec went through, or
     * it ended. A target may exit before it is seen, so an end here is not an error; its status
     * tells the caller (the child's own failures after the hand-over are 126/127 with a line on
     * stderr, and the command was checked before the request).
     */
    private static void awaitExec(UnixSocket channel, ForkServer.Spawned child, long deadline)
            throws IOException, LaunchException {
        channel.setReceiveTimeout(java.time.Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        byte[] buf = new byte[64];
        try {
            while (channel.receive(buf, 0, buf.length, new ArrayList<>()) > 0) {
                // nothing else is sent
            }
        } catch (NativeException e) {
            if (e.errno() == Errno.EAGAIN) {
                throw new LaunchException(Reason.SETUP, "timed out waiting for the target's exec");
            }
            throw e;
        }
    }

    static void checkProgress(ForkServer.Spawned child, long deadline, String doing) throws LaunchException {
        if (child.exit().isDone()) {
            throw exitedEarly(child, null);
        }
        if (System.nanoTime() - deadline > 0) {
            throw new LaunchException(Reason.SETUP, "timed out " + doing);
        }
    }

    /** The child ended before the exec: its status says why (its own line is on its stderr). */
    static LaunchException exitedEarly(ForkServer.Spawned child, String what) {
        String detail = what != null ? what + "; " : "";
        int status;
        try {
            status = child.exit().get(5, TimeUnit.SECONDS).shellStatus();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LaunchException(Reason.SETUP, "interrupted");
        } catch (Exception e) {
            return new LaunchException(Reason.SETUP, detail + EXEC + " child " + child.pid() + ": " + e.getMessage());
        }
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
