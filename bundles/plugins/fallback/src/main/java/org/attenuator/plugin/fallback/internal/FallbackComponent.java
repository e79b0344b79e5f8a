package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.InFlightRecorder;
import org.attenuator.core.KeeperStatus;
import org.attenuator.core.ListenerCustodian;
import org.attenuator.core.PolicySource;
import org.attenuator.core.Supervisor;
import org.attenuator.core.TreePolicy;
import org.attenuator.core.TreeSpec;
import org.attenuator.core.TreeStatus;
import org.attenuator.linux.ChildProcess;
import org.attenuator.linux.Errno;
import org.attenuator.linux.ExitStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attenuator-keeper (or finds it running), hands it a copy of every listener with the tree's
 * fallback table, keeps the shared in-flight table, and takes trees back from it when the
 * supervisor starts again (DESIGN.md, "Fallback and restart"; protocol in docs/keeper.md).
 *
 * <p>One thread, {@code attenuator-keeper-link}, owns the connection's life: connect (or start
 * the keeper and connect; it starts a keeper only once there is a tree to cover, so a framework
 * that supervises nothing, such as {@code attenuator doctor}, leaves no keeper behind), {@code HELLO} and the hand-back, {@code SHM}, {@code ADD} of every
 * tree, then it reads replies until the connection drops; then it starts over (a keeper that died
 * is started again and gets everything again). {@link #adopted} and {@link #ended} send their
 * {@code ADD}/{@code DEL} on the caller's thread when connected.
 *
 * <p>Stopping this component closes the connection: the keeper takes over every tree, as after a
 * crash. That is what a supervisor stop or upgrade needs; a reconfiguration therefore makes the
 * keeper answer alongside the still running supervisor until the new connection said HELLO.
 */
@Component(service = {ListenerCustodian.class, KeeperStatus.class}, configurationPid = FallbackComponent.PID,
        immediate = true)
@Designate(ocd = FallbackComponent.Config.class)
public final class FallbackComponent implements ListenerCustodian, KeeperStatus, AutoCloseable {

    public static final String PID = "org.attenuator.plugin.fallback";
    /** Tree property (String) with the tree's fallback; also read as agent metadata {@code fallback=}. */
    public static final String FALLBACK = "fallback";

    @ObjectClassDefinition(name = "Attenuator fallback", description = "attenuator-keeper: what a supervised"
            + " workload gets while the supervisor is down, and taking trees back after a restart")
    public @interface Config {
        @AttributeDefinition(description = "Run the keeper. Without it a supervisor crash fails every notified call with ENOSYS")
        boolean enabled() default true;

        @AttributeDefinition(description = "Default fallback: allow, kill or errno:NAME (ENOSYS refused); items"
                + " NAME=ACTION add per-syscall answers, e.g. errno:EPERM,write=allow")
        String fallback() default "errno:EPERM";

        @AttributeDefinition(description = "Trees without a fallback of their own get the table derived from their policy")
        boolean fromPolicy() default false;

        @AttributeDefinition(description = "attenuator-keeper executable (default: attenuator.native.dir or attenuator.distribution/bin)")
        String keeper() default "";

        @AttributeDefinition(description = "Keeper socket (default: $ATTENUATOR_HOME/run/keeper.sock, else a 0700 runtime directory)")
        String socket() default "";

        @AttributeDefinition(description = "Trees whose in-flight notifications can be recorded at once")
        int slots() default 1024;

        @AttributeDefinition(description = "In-flight notifications recorded per tree (at least the notifications the supervisor"
                + " can hold at once: its event loops plus handlers the watchdog gave up on)")
        int ring() default 256;

        @AttributeDefinition(description = "Take back the trees a keeper holds even with no tree of its own: set for a"
                + " long-running supervisor (the agent, Karaf), not for a short command")
        boolean takeBack() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FallbackComponent.class);
    private static final long RETRY_NANOS = 200_000_000L;
    /** With no tree to cover and no keeper running: how often to look for a keeper started by someone else. */
    private static final long IDLE_NANOS = 1_000_000_000L;
    /** Retry interval while another supervisor is connected to the keeper. */
    private static final long BUSY_NANOS = 2_000_000_000L;

    /** The keeper answered HELLO with ERR busy: another supervisor is connected to it. */
    private static final class BusyException extends IOException {
        private static final long serialVersionUID = 1L;

        BusyException() {
            super("another supervisor is connected to the keeper (ERR busy)");
        }
    }
    /** How long a keeper we started may take to listen (it takes milliseconds; a loaded machine, seconds). */
    private static final long START_NANOS = 30_000_000_000L;

    /** A tree the keeper should hold. */
    private record Covered(String custodyId, String treeId, long pid, String spec, String source, String meta,
            Fd listener, InFlightTable.Recorder recorder) {
    }

    private record HandedBack(String custodyId, long pid, String spec, String meta, Fd listener) {
    }

    /** The supervisor, for trees handed back; looked up when needed (see the @Activate constructor). */
    private final java.util.function.Supplier<Supervisor> supervisor;
    private final FallbackSettings settings;
    private final FallbackSpec globalDefault;
    private final String instance;
    private final InFlightTable table;
    private final Map<String, Covered> byCustodyId = new ConcurrentHashMap<>();
    private final Map<String, String> custodyIdOfTree = new ConcurrentHashMap<>();
    /** Specs of trees handed back, until the supervisor reports their adoption. */
    private final Map<String, String> handedBackSpecs = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    /** Replies expected, in send order: what each request was (for the log). */
    private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();
    private final Thread link;
    private volatile PolicySource policySource;
    private volatile boolean running = true;
    /** The connection that said HELLO and SHM; null while there is none. */
    private volatile KeeperConnection connection;
    /** Custody ids the keeper holds on {@link #connection}. */
    private volatile Set<String> keeperHas = ConcurrentHashMap.newKeySet();
    /** Custody ids the keeper confirmed (OK to the ADD, or handed back): what {@link #report} counts as covered. */
    private volatile Set<String> keeperConfirmed = ConcurrentHashMap.newKeySet();

    /** A request sent, waiting for its reply: what it was (for the log), and what to do on OK. */
    private record Request(String what, Runnable onOk) {
    }
    private volatile State state;
    private volatile Instant since = Instant.now();
    private volatile String detail = "starting";
    private volatile long keeperPid = -1;
    private volatile int restarts;
    /** Set once a connection said HELLO: a keeper started after that is a restart. */
    private volatile boolean connectedOnce;
    private ChildProcess child; // link thread only

    /**
     * No DS reference to the {@link Supervisor}: the supervisor binds this component as its
     * {@link ListenerCustodian}, so a reference back would be a cycle (SCR reports "Circular
     * reference detected" when one activates the other). The supervisor is looked up only when a
     * tree is handed back, on the link thread, after this component is active.
     */
    @Activate
    public FallbackComponent(Config config, BundleContext context) throws IOException {
        this(lookUp(context), settings(config, context));
        start();
    }

    /** Wired by hand (tests, embedding); {@link #start()} begins the link. */
    public FallbackComponent(Supervisor supervisor, FallbackSettings settings) throws IOException {
        this(() -> supervisor, settings);
    }

    private FallbackComponent(java.util.function.Supplier<Supervisor> supervisor, FallbackSettings settings)
            throws IOException {
        this.supervisor = supervisor;
        this.settings = settings;
        this.globalDefault = FallbackSpec.parse(settings.fallback(), FallbackSpec.of("errno:1"), null);
        ProcessHandle self = ProcessHandle.current();
        this.instance = "s" + Long.toString(self.pid(), 36) + "-"
                + Long.toString(self.info().startInstant().orElse(Instant.now()).toEpochMilli(), 36);
        this.state = settings.enabled() ? State.CONNECTING : State.DISABLED;
        this.table = settings.enabled() ? InFlightTable.create(settings.slots(), settings.ring()) : null;
        this.link = new Thread(this::run, "attenuator-keeper-link");
        link.setDaemon(true);
        if (!settings.enabled()) {
            detail = "disabled by configuration";
        }
    }

    /** The supervisor service, got on first use (on the link thread) and kept while it is registered. */
    private static java.util.function.Supplier<Supervisor> lookUp(BundleContext context) {
        return new java.util.function.Supplier<>() {
            private ServiceReference<Supervisor> ref;
            private Supervisor service;

            @Override
            public synchronized Supervisor get() {
                if (service != null && ref.getBundle() != null) {
                    return service;
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (true) {
                    ServiceReference<Supervisor> r = context.getServiceReference(Supervisor.class);
                    Supervisor s = r != null ? context.getService(r) : null;
                    if (s != null) {
                        ref = r;
                        service = s;
                        return s;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("no supervisor service");
                    }
                    LockSupport.parkNanos(50_000_000L);
                }
            }
        };
    }

    private static FallbackSettings settings(Config c, BundleContext context) {
        String nativeDir = property(context, "attenuator.native.dir");
        String distribution = property(context, "attenuator.distribution");
        String home = Optional.ofNullable(property(context, "attenuator.home")).orElse(System.getenv("ATTENUATOR_HOME"));
        long uid = uid();
        return new FallbackSettings(c.enabled(), c.fallback(), c.fromPolicy(),
                FallbackSettings.keeperPath(c.keeper(), nativeDir, distribution),
                FallbackSettings.socketPath(c.socket(), home, System.getenv("XDG_RUNTIME_DIR"), uid == 0, uid),
                c.slots(), c.ring(), c.takeBack());
    }

    private static String property(BundleContext context, String key) {
        String v = context != null ? context.getProperty(key) : null;
        return v != null ? v : System.getProperty(key);
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Starts the link thread (once). */
    public void start() {
        if (settings.enabled() && link.getState() == Thread.State.NEW) {
            link.start();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicySource(PolicySource source) {
        policySource = source;
    }

    public void unsetPolicySource(PolicySource source) {
        if (policySource == source) {
            policySource = null;
        }
    }

    // ---- ListenerCustodian ------------------------------------------------------------------

    @Override
    public InFlightRecorder adopted(TreeStatus tree, Fd listener) {
        if (!settings.enabled()) {
            closeQuietly(listener);
            return InFlightRecorder.NONE;
        }
        Object given = tree.properties().get(CUSTODY_ID);
        String custodyId;
        String spec;
        String source;
        String handedBack = given instanceof String id ? handedBackSpecs.remove(id) : null;
        if (handedBack != null) {
            custodyId = (String) given;
            spec = handedBack;
            source = "keeper";
        } else {
            custodyId = given instanceof String id ? id : instance + "." + tree.id();
            Map.Entry<FallbackSpec, String> s = specFor(tree);
            spec = s.getKey().keeperSpec();
            source = s.getValue();
        }
        InFlightTable.Recorder recorder = table.open(custodyId);
        if (recorder == null) {
            LOG.warn("tree {}: every in-flight slot is taken ({}); a crash may leave its received calls unanswered",
                    tree.id(), settings.slots());
        }
        Covered c = new Covered(custodyId, tree.id(), tree.pid(), spec, source,
                TreeMeta.encode(tree.policy().name(), tree.properties()), listener, recorder);
        byCustodyId.put(custodyId, c);
        custodyIdOfTree.put(tree.id(), custodyId);
        LOG.info("tree {} under fallback {} (from the {}), keeper id {}", tree.id(), spec, source, custodyId);
        sendAdd(c);
        if (connection == null) {
            LockSupport.unpark(link); // the link may be waiting for a first tree before it starts the keeper
        }
        return recorder != null ? recorder : InFlightRecorder.NONE;
    }

    @Override
    public void ended(String treeId) {
        String custodyId = custodyIdOfTree.remove(treeId);
        Covered c = custodyId != null ? byCustodyId.remove(custodyId) : null;
        if (c == null) {
            return;
        }
        send("DEL " + custodyId, null, "DEL of " + custodyId + " (tree " + treeId + ")", () -> {
            keeperHas.remove(custodyId);
            keeperConfirmed.remove(custodyId);
        }, null);
        if (c.recorder() != null) {
            c.recorder().release();
        }
        closeQuietly(c.listener());
    }

    /** The table for a tree: its own fallback property, else its policy's (if so configured), else the default. */
    private Map.Entry<FallbackSpec, String> specFor(TreeStatus tree) {
        Object own = tree.properties().get(FALLBACK);
        if (own == null) {
            own = tree.properties().get(SupervisedTree.METADATA_PREFIX + FALLBACK);
        }
        if (own instanceof String text && !text.isBlank()) {
            try {
                return Map.entry(FallbackSpec.parse(text, globalDefault, tree.policy()), "tree");
            } catch (IllegalArgumentException e) {
                LOG.warn("tree {}: fallback '{}' ignored ({}); using {}", tree.id(), text, e.getMessage(),
                        settings.fallback());
            }
        }
        if (settings.fromPolicy()) {
            return Map.entry(FallbackSpec.fromPolicy(tree.policy(), globalDefault.defaultAction()), "policy");
        }
        return Map.entry(globalDefault, "default");
    }

    private void sendAdd(Covered c) {
        if (keeperHas.contains(c.custodyId())) {
            return;
        }
        String line = "ADD " + c.custodyId() + " " + c.pid() + " " + c.spec() + " " + c.meta();
        Set<String> confirmed = keeperConfirmed;
        send(line, c.listener(), "ADD of " + c.custodyId() + " (tree " + c.treeId() + ")", () -> keeperHas.add(c.custodyId()),
                () -> confirmed.add(c.custodyId()));
    }

    /**
     * Sends a request on the current connection, if any; {@code sent} runs under the send lock once
     * it went out, {@code onOk} (if not null) on the link thread when the keeper answered OK.
     */
    private void send(String line, Fd fd, String what, Runnable sent, Runnable onOk) {
        KeeperConnection k = connection;
        if (k == null) {
            return; // the link sends everything again once connected
        }
        synchronized (sendLock) {
            if (k != connection) {
                return;
            }
            try {
                pending.add(new Request(what, onOk)); // before the send: the link thread may read the reply at once
                k.send(line, fd);
                sent.run();
            } catch (NativeException | IllegalArgumentException e) {
                LOG.warn("keeper: {} not sent: {}", what, e.getMessage());
                k.close(); // the link notices and starts over
            }
        }
    }

    /** The in-flight table, as the keeper would read it now (tests, diagnostics). */
    List<String> describeTable() {
        return table != null ? table.describe() : List.of();
    }

    // ---- KeeperStatus --------------------------------------------------------------------------

    @Override
    public Report report() {
        State s = state;
        List<CoveredTree> trees = new ArrayList<>();
        if (s == State.WATCHING) {
            Set<String> has = keeperConfirmed;
            for (Covered c : byCustodyId.values()) {
                if (has.contains(c.custodyId())) {
                    trees.add(new CoveredTree(c.treeId(), c.custodyId(), c.pid(), c.spec(), c.source()));
                }
            }
            trees.sort((a, b) -> a.treeId().compareTo(b.treeId()));
        }
        return new Report(s, s == State.WATCHING ? keeperPid : -1, settings.keeper(), settings.socket(), since,
                restarts, detail, trees);
    }

    private void state(State s, String why) {
        if (state != s) {
            since = Instant.now();
        }
        state = s;
        detail = why;
    }

    // ---- the link --------------------------------------------------------------------------

    private void run() {
        while (running) {
            KeeperConnection k = null;
            try {
                k = connectOrStart(!connectedOnce);
                if (k == null) {
                    LockSupport.parkNanos(IDLE_NANOS); // until a tree comes (unpark), then look again
                    continue;
                }
                handshake(k);
                connectedOnce = true;
                readReplies(k);
                if (running) {
                    LOG.warn("keeper: connection lost (pid {}); starting over", keeperPid);
                    state(State.CONNECTING, "keeper connection lost");
                }
            } catch (BusyException e) {
                // another supervisor (an agent, another run) holds the keeper: it covers its trees; ours wait
                if (running && !e.getMessage().equals(detail)) {
                    LOG.info("keeper: {}; retrying every {} ms", e.getMessage(), BUSY_NANOS / 1_000_000);
                }
                state(State.CONNECTING, e.getMessage());
                LockSupport.parkNanos(BUSY_NANOS - RETRY_NANOS);
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("keeper: {}", e.getMessage());
                    state(State.CONNECTING, e.getMessage());
                }
            } finally {
                synchronized (sendLock) {
                    connection = null;
                    pending.clear();
                }
                if (k != null) {
                    k.close();
                }
            }
            reapChild();
            if (running) {
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    /** Connects to a running keeper, else starts one and connects to it. */
    private KeeperConnection connectOrStart(boolean first) throws IOException {
        Path socket = settings.socket();
        if (byCustodyId.isEmpty() && !settings.takeBack()) {
            state(State.STANDBY, "no tree to cover yet (a running keeper's trees stay with it: takeBack is off)");
            return null;
        }
        try {
            KeeperConnection k = KeeperConnection.connect(socket);
            keeperPid = k.peerPid();
            LOG.info("keeper: found running at {} (pid {})", socket, keeperPid);
            detail = "found running";
            return k;
        } catch (NativeException e) {
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.ECONNREFUSED) {
                throw e;
            }
        }
        if (byCustodyId.isEmpty()) {
            state(State.STANDBY, "no keeper running at " + socket + "; one starts with the first supervised tree");
            return null;
        }
        if (!first) {
            restarts++;
        }
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path log = keeperLog();
        if (!Files.exists(log)) {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        List<String> argv = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                argv.add(setsid); // its own session: a ^C to the supervisor's terminal must not reach it
                break;
            }
        }
        // --exit-when-idle: once no tree is held and no supervisor is connected, the keeper exits
        argv.addAll(List.of(settings.keeper().toString(), "--socket", socket.toString(), "--exit-when-idle"));
        try (Fd out = Fd.open(log.toString(), Fd.O_WRONLY | 02000 /* O_APPEND */)) {
            child = ChildProcess.spawn(argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), null, out, out);
        }
        LOG.info("keeper: started {} (pid {}), socket {}, log {}", settings.keeper(), child.pid(), socket, log);
        long deadline = System.nanoTime() + START_NANOS;
        while (true) {
            try {
                KeeperConnection k = KeeperConnection.connect(socket);
                keeperPid = k.peerPid();
                detail = "started by this supervisor";
                return k;
            } catch (NativeException e) {
                ExitStatus exit = child.poll();
                if (exit != null) {
                    throw new IOException("attenuator-keeper exited at start (" + exit + "); see " + log);
                }
                if (System.nanoTime() - deadline > 0 || !running) {
                    // never leave a keeper starting behind: the next one would find it and stop, or
                    // its check of the socket would take the only connection while ours says HELLO
                    child.signal(9);
                    LOG.warn("keeper: pid {} did not answer on {} within {} ms ({}); killed: {}", child.pid(), socket,
                            START_NANOS / 1_000_000, e.getMessage(), child.waitFor());
                    child.close();
                    child = null;
                    throw new IOException("attenuator-keeper does not answer on " + socket + ": " + e.getMessage());
                }
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    /** HELLO (taking back trees this supervisor does not have), SHM, ADD of every tree. */
    private void handshake(KeeperConnection k) throws IOException {
        try {
            k.send("HELLO 1", null);
        } catch (NativeException e) {
            // a busy keeper says "ERR busy" and closes at once: the send may fail before we read that
            KeeperConnection.Line why = k.readLine();
            if (why != null && why.text().equals("ERR busy")) {
                throw new BusyException();
            }
            throw e;
        }
        KeeperConnection.Line l = k.readLine();
        if (l != null && l.text().equals("ERR busy")) {
            throw new BusyException();
        }
        if (l == null || !l.text().startsWith("TREES ")) {
            throw new IOException("keeper: unexpected answer to HELLO: " + (l == null ? "EOF" : l.text()));
        }
        int n = Integer.parseInt(l.text().substring("TREES ".length()));
        List<HandedBack> back = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                KeeperConnection.Line t = k.readLine();
                String[] f = t == null ? new String[0] : t.text().split(" ");
                if (f.length != 5 || !f[0].equals("TREE") || t.fd() == null) {
                    if (t != null && t.fd() != null) {
                        t.fd().close();
                    }
                    throw new IOException("keeper: bad TREE line: " + (t == null ? "EOF" : t.text()));
                }
                back.add(new HandedBack(f[1], Long.parseLong(f[2]), f[3], f[4], t.fd()));
            }
            KeeperConnection.Line end = k.readLine();
            if (end == null || !end.text().equals("END")) {
                throw new IOException("keeper: expected END, got " + (end == null ? "EOF" : end.text()));
            }
            k.send("SHM", table.memfd());
            KeeperConnection.Line shm = k.readLine();
            if (shm == null || !shm.text().equals("OK")) {
                throw new IOException("keeper refused the in-flight table: " + (shm == null ? "EOF" : shm.text()));
            }
        } catch (IOException | RuntimeException e) {
            back.forEach(b -> closeQuietly(b.listener()));
            throw e;
        }
        Set<String> has = ConcurrentHashMap.newKeySet();
        back.forEach(b -> has.add(b.custodyId()));
        synchronized (sendLock) {
            keeperHas = has;
            keeperConfirmed = ConcurrentHashMap.newKeySet();
            keeperConfirmed.addAll(has);
            connection = k;
        }
        state(State.WATCHING, detail);
        LOG.info("keeper: watching (pid {}), {} tree(s) handed back", keeperPid, back.size());
        for (HandedBack b : back) {
            if (byCustodyId.containsKey(b.custodyId())) {
                closeQuietly(b.listener()); // ours already: we still hold the listener
            } else if (b.custodyId().startsWith(instance + ".")) {
                closeQuietly(b.listener()); // ours, and it ended meanwhile
                send("DEL " + b.custodyId(), null, "DEL of ended " + b.custodyId(), () -> {
                    has.remove(b.custodyId());
                    keeperConfirmed.remove(b.custodyId());
                }, null);
            } else {
                takeBack(b);
            }
        }
        for (Covered c : List.copyOf(byCustodyId.values())) {
            sendAdd(c);
        }
    }

    /** Adopts a tree the keeper handed back, with its metadata and the policy it had. */
    private void takeBack(HandedBack b) {
        Map<String, Object> props = TreeMeta.decode(b.meta());
        Object policyName = props.remove(TreeMeta.POLICY);
        props.put(CUSTODY_ID, b.custodyId());
        TreePolicy policy = policyOf(props.get(SupervisedTree.PROFILE), policyName);
        handedBackSpecs.put(b.custodyId(), b.spec());
        try {
            SupervisedTree t = supervisor.get().adopt(b.listener(), new TreeSpec(b.pid(), props, policy, false));
            LOG.info("keeper: took back tree {} as {} (pid {}, policy {}, fallback {})", b.custodyId(), t.id(), b.pid(),
                    policy.name(), b.spec());
        } catch (IOException | RuntimeException e) {
            handedBackSpecs.remove(b.custodyId());
            LOG.error("keeper: cannot take back tree {} (pid {}): {}; the keeper lets it go", b.custodyId(), b.pid(),
                    e.toString());
            send("DEL " + b.custodyId(), null, "DEL of " + b.custodyId(), () -> {
                keeperHas.remove(b.custodyId());
                keeperConfirmed.remove(b.custodyId());
            }, null);
        }
    }

    private TreePolicy policyOf(Object profile, Object policyName) {
        PolicySource source = policySource;
        if (source != null) {
            for (Object ref : new Object[] {profile, policyName}) {
                if (ref instanceof String r && !r.equals("default")) {
                    try {
                        Optional<TreePolicy> p = source.policyFor(r);
                        if (p.isPresent()) {
                            return p.get();
                        }
                    } catch (IllegalArgumentException e) {
                        LOG.warn("keeper: policy {} of a handed-back tree: {}", r, e.getMessage());
                    }
                }
            }
        }
        if (policyName != null && !"default".equals(policyName)) {
            LOG.warn("keeper: policy {} of a handed-back tree not found; it runs the default policy", policyName);
        }
        return TreePolicy.DEFAULT;
    }

    private void readReplies(KeeperConnection k) throws IOException {
        KeeperConnection.Line l;
        while ((l = k.readLine()) != null) {
            if (l.fd() != null) {
                l.fd().close();
            }
            Request r = pending.poll();
            String what = r != null ? r.what() : null;
            if (l.text().equals("OK") && r != null && r.onOk() != null) {
                r.onOk().run();
            }
            if (l.text().equals("ERR no such tree") && what != null && what.startsWith("DEL")) {
                LOG.debug("keeper: {}: it had dropped the tree already (all its processes exited)", what);
            } else if (l.text().startsWith("ERR")) {
                LOG.warn("keeper refused {}: {}", what, l.text());
                if (what != null && what.startsWith("ADD of ")) {
                    keeperHas.remove(what.substring("ADD of ".length()).split(" ")[0]);
                }
            }
        }
    }

    /** The keeper's stdout and stderr, next to its socket. */
    private Path keeperLog() {
        return settings.socket().resolveSibling("keeper.log");
    }

    private void reapChild() {
        if (child == null) {
            return;
        }
        try {
            ExitStatus exit = child.poll();
            if (exit != null) {
                if (exit.exitCode() == 0) { // --exit-when-idle: no tree held and no supervisor connected
                    LOG.debug("keeper: pid {} exited: nothing left to hold", child.pid());
                } else {
                    LOG.warn("keeper: pid {} ended: {}; see {}", child.pid(), exit, keeperLog());
                }
                child.close();
                child = null;
            }
        } catch (NativeException e) {
            LOG.debug("keeper: {}", e.getMessage());
        }
    }

    /** Closes the connection: the keeper takes over every tree. */
    @Deactivate
    @Override
    public void close() {
        running = false;
        KeeperConnection k = connection;
        if (k != null) {
            k.close();
        }
        LockSupport.unpark(link); // it may be parked for a first tree (IDLE_NANOS): stop now, not a second later
        try {
            link.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Covered c : byCustodyId.values()) {
            closeQuietly(c.listener());
        }
        if (table != null) {
            closeQuietly(table.memfd());
        }
    }

    private static void closeQuietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
