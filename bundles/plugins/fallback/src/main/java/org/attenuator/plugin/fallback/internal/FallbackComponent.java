package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.InFlightRecorder;
import org.attenuator.core.spi.IntakeCustody;
import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreeAdopter;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import java.util.function.Supplier;
import org.attenuator.plugin.fallback.Fallback;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
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
 * The fallback plugin as a DS component: the supervisor's {@link ListenerCustodian} and the
 * {@link KeeperStatus}. It decides each tree's fallback table and keeper id and hands the tree to
 * the {@link KeeperLink}, which runs attenuator-keeper (or finds it running) and keeps it in step
 * (DESIGN.md, "Fallback and restart"; protocol in docs/keeper.md); trees the keeper hands back
 * it adopts into the supervisor.
 *
 * <p>Stopping this component closes the connection: the keeper takes over every tree, as after a
 * crash. That is what a supervisor stop or upgrade needs; a reconfiguration therefore makes the
 * keeper answer alongside the still running supervisor until the new connection said HELLO.
 */
@Component(service = {ListenerCustodian.class, KeeperStatus.class}, configurationPid = Fallback.PID,
        immediate = true)
@Designate(ocd = FallbackComponent.Config.class)
public final class FallbackComponent implements ListenerCustodian, KeeperStatus, AutoCloseable {

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

        @AttributeDefinition(description = "Keeper socket (default: keeper.sock with takeBack, else keeper-PID.sock, in"
                + " $ATTENUATOR_HOME/run, else in a 0700 runtime directory)")
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
    /** How long a handed-back tree waits for the supervisor service (it registers within moments of this component). */
    private static final long SUPERVISOR_WAIT_MILLIS = 10_000;

    private final FallbackSettings settings;
    private final FallbackSpec globalDefault;
    /** Prefix of the keeper ids of this supervisor's trees: its pid and start time. */
    private final String instance;
    private final InFlightTable table;
    private final KeeperLink link;
    /**
     * Tree id -> keeper id. The supervisor may report a tree's end while {@link #adopted} still runs
     * (on another thread): {@link #ended} then leaves {@link #ENDED} and adopted releases the tree.
     */
    private final Map<String, String> custodyIdOfTree = new ConcurrentHashMap<>();
    private static final String ENDED = "", NOT_HELD = "-";
    /** Specs of trees handed back, until the supervisor reports their adoption. */
    private final Map<String, String> handedBackSpecs = new ConcurrentHashMap<>();
    /** Bound by DS, got for trees handed back (see {@link #setSupervisor}). */
    private final Awaited<PolicySource> policySource = new Awaited<>();
    private final Awaited<Supplier<TreeAdopter>> supervisor = new Awaited<>();
    private final HandedBackPolicy handedBack;

    @Activate
    public FallbackComponent(Config config, BundleContext context) throws IOException {
        this(settings(config, context));
        start();
    }

    /** Wired by hand (tests, embedding); {@link #start()} begins the link. */
    public FallbackComponent(TreeAdopter supervisor, FallbackSettings settings) throws IOException {
        this(settings);
        this.supervisor.set(() -> supervisor);
    }

    private FallbackComponent(FallbackSettings settings) throws IOException {
        this.settings = settings;
        this.globalDefault = FallbackSpec.parse(settings.fallback(), FallbackSpec.of("errno:1"), null);
        ProcessHandle self = ProcessHandle.current();
        this.instance = "s" + Long.toString(self.pid(), 36) + "-"
                + Long.toString(self.info().startInstant().orElse(Instant.now()).toEpochMilli(), 36);
        this.table = settings.enabled() ? InFlightTable.create(settings.slots(), settings.ring()) : null;
        this.link = settings.enabled() ? new KeeperLink(settings, table, instance, this::takeBack) : null;
        this.handedBack = new HandedBackPolicy(new ProfileStash(settings.socket().getParent()), () -> {
            try {
                return policySource.await(SUPERVISOR_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        });
    }

    private static FallbackSettings settings(Config c, BundleContext context) {
        String nativeDir = property(context, "attenuator.native.dir");
        String distribution = property(context, "attenuator.distribution");
        String home = Optional.ofNullable(property(context, "attenuator.home")).orElse(System.getenv("ATTENUATOR_HOME"));
        return new FallbackSettings(c.enabled(), c.fallback(), c.fromPolicy(),
                FallbackSettings.keeperPath(c.keeper(), nativeDir, distribution),
                FallbackSettings.socketPath(c.socket(), home, c.takeBack()),
                c.slots(), c.ring(), c.takeBack());
    }

    private static String property(BundleContext context, String key) {
        String v = context != null ? context.getProperty(key) : null;
        return v != null ? v : System.getProperty(key);
    }

    /** Starts the link thread (once). */
    public void start() {
        if (link != null) {
            link.start();
        }
    }

    /**
     * Optional and dynamic, and bound as service objects: the supervisor binds this component as
     * its custodian, so getting the supervisor service while this component activates would be a
     * cycle (SCR: "Circular reference detected"). The service is got only when a tree is handed
     * back, on the link thread; a tree handed back before the supervisor is bound waits for it.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setSupervisor(ComponentServiceObjects<TreeAdopter> service) {
        supervisor.set(service::getService);
    }

    public void unsetSupervisor(ComponentServiceObjects<TreeAdopter> service) {
        supervisor.set(null);
    }

    /** The supervisor service, waited for up to {@link #SUPERVISOR_WAIT_MILLIS} (it registers within moments of this component). */
    private TreeAdopter awaitSupervisor() throws InterruptedException {
        Supplier<TreeAdopter> s = supervisor.await(SUPERVISOR_WAIT_MILLIS);
        return s != null ? s.get() : null;
    }

    /** Waited for as the supervisor is: a tree handed back while the agent starts needs it for its policy. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicySource(PolicySource source) {
        policySource.set(source);
    }

    public void unsetPolicySource(PolicySource source) {
        policySource.unset(source);
    }

    // ---- ListenerCustodian ------------------------------------------------------------------

    @Override
    public InFlightRecorder adopted(TreeStatus tree, Fd listener) {
        if (link == null) {
            KeeperLink.closeQuietly(listener);
            return InFlightRecorder.NONE;
        }
        Object given = tree.properties().get(CUSTODY_ID);
        String handedBack = given instanceof String id ? handedBackSpecs.remove(id) : null;
        String custodyId = handedBack != null || given instanceof String ? (String) given : instance + "." + tree.id();
        String spec;
        String source;
        if (handedBack != null) {
            spec = handedBack;
            source = "keeper";
        } else {
            Map.Entry<FallbackSpec, String> s = specFor(tree);
            FallbackSpec chosen = s.getKey();
            spec = tree.policy().routedDenials().map(chosen::withRouted).orElse(chosen).keeperSpec();
            source = s.getValue();
        }
        InFlightTable.Recorder recorder = table.open(custodyId);
        if (recorder == null) {
            LOG.warn("tree {}: every in-flight slot is taken ({}); a crash may leave its received calls unanswered",
                    tree.id(), settings.slots());
        }
        String digest = this.handedBack.stash(tree.id(), custodyId, tree.properties());
        HeldTree held;
        try {
            held = new HeldTree(custodyId, tree.id(), tree.pid(), spec, source,
                    TreeMeta.encode(tree.policy().name(), digest,
                    tree.policy().routedDenials().isPresent(), tree.properties()), listener, recorder, false);
            held.add(); // checks the ADD line fits the protocol
        } catch (IllegalArgumentException e) {
            LOG.warn("tree {}: not handed to the keeper ({}); a supervisor crash means ENOSYS for it", tree.id(),
                    e.getMessage());
            if (recorder != null) {
                recorder.release();
            }
            this.handedBack.unstash(custodyId);
            KeeperLink.closeQuietly(listener);
            register(tree.id(), NOT_HELD);
            return InFlightRecorder.NONE;
        }
        LOG.info("tree {} under fallback {} (from the {}), keeper id {}", tree.id(), spec, source, custodyId);
        link.hold(held);
        if (!register(tree.id(), custodyId)) {
            release(custodyId); // it ended while we handed it over
            return InFlightRecorder.NONE;
        }
        return recorder != null ? recorder : InFlightRecorder.NONE;
    }

    @Override
    public void awaitHeld(String treeId) throws IOException {
        if (link == null) {
            return; // disabled by configuration: no keeper at all, as doctor and seccomp:keeper say
        }
        String custodyId = custodyIdOfTree.get(treeId);
        if (NOT_HELD.equals(custodyId)) {
            throw new IOException("not handed to the keeper (its ADD line does not fit the protocol)");
        }
        HeldTree held = custodyId != null ? link.tree(custodyId) : null;
        if (held != null) {
            link.awaitHeld(held);
        }
    }

    /** The keeper answers this listener itself, from the table {@code answers} implies, from now on. */
    @Override
    public void keep(String name, long pid, TreePolicy answers, Fd listener) throws IOException {
        if (link == null) {
            throw new IOException("the keeper is disabled by configuration (" + Fallback.PID + ": enabled=false)");
        }
        String spec = FallbackSpec.fromPolicy(answers, globalDefault.defaultAction()).keeperSpec();
        HeldTree held = new HeldTree(instance + ".k-" + name, name, pid, spec, "profile", "-", listener.dup(), null, true);
        try {
            held.add(); // checks the KEEP line fits the protocol
        } catch (IllegalArgumentException e) {
            KeeperLink.closeQuietly(held.listener());
            throw new IOException(e.getMessage(), e);
        }
        LOG.info("{} (pid {}): no supervisor reads its listener; the keeper answers it: {}", name, pid, spec);
        link.hold(held);
        try {
            link.awaitHeld(held);
        } catch (IOException e) {
            link.release(held.custodyId()); // the launch is refused: nothing left to keep
            throw e;
        }
    }

    /** Records the tree's keeper id; false if the tree ended meanwhile (its mark is removed). */
    private boolean register(String treeId, String custodyId) {
        return custodyIdOfTree.compute(treeId, (k, was) -> was == null ? custodyId : null) != null;
    }

    private void release(String custodyId) {
        handedBack.unstash(custodyId);
        HeldTree t = link.release(custodyId);
        if (t != null && t.recorder() != null) {
            t.recorder().release();
        }
    }

    @Override
    public void ended(String treeId) {
        if (link == null) {
            return;
        }
        String[] was = new String[1];
        custodyIdOfTree.compute(treeId, (k, v) -> {
            was[0] = v;
            return v == null ? ENDED : null; // not registered yet: adopted() is still running, it releases
        });
        if (was[0] != null && !was[0].equals(NOT_HELD)) {
            release(was[0]);
        }
    }

    /** The table for a tree: its own fallback property, else its policy's (if so configured), else the default. */
    private Map.Entry<FallbackSpec, String> specFor(TreeStatus tree) {
        Object own = tree.properties().get(Fallback.TREE_PROPERTY);
        if (own == null) {
            own = tree.properties().get(SupervisedTree.METADATA_PREFIX + Fallback.TREE_PROPERTY);
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

    /**
     * Adopts a tree the keeper handed back, with its metadata and the policy it had (on the link
     * thread). A tree that cannot be adopted with that policy stays with the keeper, which answers
     * it with its fallback from now on (as {@code KEEP}: no supervisor takes it back again); false
     * then, so the link lets go of the handed-back copy.
     */
    private boolean takeBack(KeeperReply.Tree b) {
        Map<String, Object> props = TreeMeta.decode(b.meta());
        Object policyName = props.remove(TreeMeta.POLICY);
        Object digest = props.remove(TreeMeta.PROFILE_DIGEST);
        boolean routed = Boolean.TRUE.equals(props.remove(TreeMeta.ROUTED_DENIALS));
        props.put(CUSTODY_ID, b.treeId());
        try {
            TreePolicy policy = handedBack.rebuild(b.treeId(), props, policyName, digest, routed);
            TreeAdopter s = awaitSupervisor();
            if (s == null) {
                throw new IOException("no supervisor service within " + SUPERVISOR_WAIT_MILLIS + " ms");
            }
            handedBackSpecs.put(b.treeId(), b.spec());
            SupervisedTree t = s.adopt(b.listener(), new TreeSpec(b.pid(), props, policy, false));
            LOG.info("keeper: took back tree {} as {} (pid {}, policy {}, fallback {})", b.treeId(), t.id(), b.pid(),
                    policy.name(), b.spec());
            return true;
        } catch (IOException | RuntimeException e) {
            handedBackSpecs.remove(b.treeId());
            leaveWithKeeper(b, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handedBackSpecs.remove(b.treeId());
            leaveWithKeeper(b, "interrupted");
            return false;
        }
    }

    /** Hands the tree's listener back to the keeper to answer for good, with the fallback it had. */
    private void leaveWithKeeper(KeeperReply.Tree b, String why) {
        LOG.error("keeper: tree {} (pid {}) not taken back: {}; the keeper keeps answering it with {}", b.treeId(),
                b.pid(), why, b.spec());
        Fd listener = null;
        try {
            listener = b.listener().dup();
            HeldTree kept = new HeldTree(instance + ".k-" + b.pid(), b.treeId(), b.pid(), b.spec(), "keeper", "-",
                    listener, null, true);
            kept.add(); // checks the KEEP line fits the protocol
            link.hold(kept);
        } catch (IOException | RuntimeException e) {
            KeeperLink.closeQuietly(listener);
            LOG.error("keeper: tree {} (pid {}) cannot stay with the keeper either ({}); the keeper lets it go",
                    b.treeId(), b.pid(), e.getMessage());
        }
    }

    /** The keeper accepts on the agent's socket and hands its connections over, listeners held. */
    @Override
    public Optional<IntakeCustody> holdIntake(Fd server, Set<Integer> allowedUids, IntakeCustody.Handoff handoff) {
        if (link == null) {
            return Optional.empty();
        }
        try {
            KeeperIntake intake = new KeeperIntake(link, server.dup(), globalDefault.keeperSpec(), allowedUids, handoff);
            link.holdIntake(intake);
            return Optional.of(intake);
        } catch (NativeException e) {
            LOG.warn("agent socket: not handed to the keeper ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /** The in-flight table, as the keeper would read it now (tests, diagnostics). */
    List<String> describeTable() {
        return table != null ? table.describe() : List.of();
    }

    // ---- KeeperStatus --------------------------------------------------------------------------

    @Override
    public Report report() {
        if (link == null) {
            return new Report(State.DISABLED, -1, settings.keeper(), settings.socket(), Instant.now(), 0,
                    "disabled by configuration", List.of());
        }
        return link.report();
    }

    /** Closes the connection: the keeper takes over every tree. */
    @Deactivate
    @Override
    public void close() {
        if (link != null) {
            link.close();
            KeeperLink.closeQuietly(table.memfd());
        }
    }
}
