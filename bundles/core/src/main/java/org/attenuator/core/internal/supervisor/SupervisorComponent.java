package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallHandler;
import org.attenuator.api.SyscallObserver;
import org.attenuator.core.HandlerStatus;
import org.attenuator.core.Supervisor;
import org.attenuator.core.SupervisorStats;
import org.attenuator.core.spi.TreeAdopter;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeSpec;
import org.attenuator.core.spi.TreeStatus;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * The {@link Supervisor} service: wires the whiteboard (handlers, observers, custodian) to the
 * event loops and the trees. The add/remove methods are what DS calls; tests call
 * them too.
 */
@Component(service = {Supervisor.class, TreeAdopter.class}, configurationPid = SupervisorComponent.PID)
@Designate(ocd = SupervisorComponent.Config.class)
public final class SupervisorComponent implements Supervisor, AutoCloseable {

    @ObjectClassDefinition(name = "Attenuator supervisor", description = "Threads and budgets of the supervisor")
    public @interface Config {
        @AttributeDefinition(description = "Event loops: threads that each receive, decide and answer the notifications"
                + " of their own listeners (trees are spread over them round-robin); 0: one per CPU")
        int workers() default 0;

        @AttributeDefinition(description = "Milliseconds one handler may take before it counts as pass")
        long handlerBudgetMillis() default 50;

        @AttributeDefinition(description = "Milliseconds deciding one notification may take before the watchdog answers it"
                + " with the tree's undecided decision and gives the event loop stuck in a handler a new thread")
        long handlerTimeoutMillis() default 1000;

        @AttributeDefinition(description = "Observer events that may wait before new ones are dropped")
        int observerQueue() default 4096;
    }

    static final String PID = "org.attenuator.core.supervisor";
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorComponent.class);

    private final HandlerRegistry handlers = new HandlerRegistry();
    private final ObserverDispatcher observers;
    private final Decider decider;
    private final EventLoops loops;
    private final Map<String, Tree> trees = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder treesEnded = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SupervisorSettings settings;
    private final Custody custody = new Custody(); // custody (fallback keeper)

    @Activate
    public SupervisorComponent(Config config) throws NativeException {
        this(settingsOf(config));
        org.attenuator.core.internal.NonDumpable.ensure();
    }

    public SupervisorComponent(SupervisorSettings settings) throws NativeException {
        this.settings = settings;
        this.observers = new ObserverDispatcher(settings.observerQueue());
        this.decider = new Decider(handlers, settings.handlerBudget().toNanos());
        this.loops = new EventLoops(settings.workers(), settings.handlerTimeout().toNanos(), decider,
                new Responder(observers));
    }

    private static SupervisorSettings settingsOf(Config config) {
        return new SupervisorSettings(config.workers() == 0 ? SupervisorSettings.DEFAULT_WORKERS : config.workers(),
                Duration.ofMillis(config.handlerBudgetMillis()), config.observerQueue(),
                Duration.ofMillis(config.handlerTimeoutMillis()));
    }

    /**
     * A changed configuration applies to the running supervisor, whose trees stay supervised (a
     * restart would close their listeners: their calls would fail with ENOSYS unless the keeper
     * took them). A configuration that does not validate is refused whole, in one log line, and
     * the running settings stay.
     */
    @Modified
    void modified(Config config) {
        SupervisorSettings next;
        try {
            next = settingsOf(config);
        } catch (IllegalArgumentException e) {
            LOG.error("configuration {} refused: {}; the supervisor keeps {}", PID, e.getMessage(), settings);
            return;
        }
        reconfigure(next);
    }

    /**
     * Applies {@code next} without a restart: the handler budget from the next handler asked, the
     * hard timeout from the watchdog's next tick, the observer queue bound from the next event,
     * and the number of event loops from the next tree adopted (trees stay on their loops).
     */
    public synchronized void reconfigure(SupervisorSettings next) {
        try {
            loops.reconfigure(next.workers(), next.handlerTimeout().toNanos());
        } catch (NativeException e) {
            LOG.error("configuration {} refused: cannot start {} event loops: {}; the supervisor keeps {}", PID,
                    next.workers(), e.getMessage(), settings);
            return;
        }
        decider.budget(next.handlerBudget().toNanos());
        observers.capacity(next.observerQueue());
        LOG.info("supervisor settings changed from {} to {}", settings, next);
        settings = next;
    }

    /**
     * Stops supervising: no more notifications are received; those already received are decided
     * and answered by their event loops (one held by a hung handler by the watchdog at its
     * timeout; see {@link EventLoops#close()}); then every listener is closed. Notifications still
     * waiting in the kernel, and later notified syscalls, then fail with ENOSYS, unless another
     * process (the keeper) holds a copy of the listener and answers them.
     */
    @Deactivate
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        custody.close(List.copyOf(trees.values())); // custody (fallback keeper): the trees stay with it
        loops.close();
        for (Tree tree : List.copyOf(trees.values())) {
            tree.end();
        }
        observers.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addHandler(SyscallHandler handler, Map<String, Object> properties) {
        handlers.put(handler, properties);
    }

    public void updatedHandler(SyscallHandler handler, Map<String, Object> properties) {
        handlers.put(handler, properties);
    }

    public void removeHandler(SyscallHandler handler, Map<String, Object> properties) {
        handlers.remove(properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addObserver(SyscallObserver observer) {
        observers.add(observer);
    }

    public void removeObserver(SyscallObserver observer) {
        observers.remove(observer);
    }

    // custody (fallback keeper): the keeper's plugin, told of every tree (see ListenerCustodian)
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setCustodian(org.attenuator.core.spi.ListenerCustodian custodian) {
        custody.bind(custodian, List.copyOf(trees.values()), t -> t.status(decider.globalPause()));
    }

    public void unsetCustodian(org.attenuator.core.spi.ListenerCustodian custodian) {
        custody.unbind(custodian, List.copyOf(trees.values()));
    }
    // end custody

    @Override
    public SupervisedTree adopt(Fd listener, TreeSpec spec) throws IOException {
        NotifyListener notifyListener = NotifyListener.adopt(listener);
        Pidfd pidfd = openPidfd(spec.pid());
        Tree tree = new Tree(sequence.incrementAndGet(), spec, notifyListener, pidfd, this::closed);
        trees.put(tree.id(), tree);
        observers.treeStarted(tree); // before registering: the tree may end at once
        try {
            // custody (fallback keeper): held outside this process before any notification is received
            custody.adopted(tree, tree.status(decider.globalPause()), spec.launcherExec());
            loops.register(tree);
        } catch (IOException | RuntimeException e) {
            tree.end();
            throw e;
        }
        Object container = spec.properties().get(SupervisedTree.CONTAINER_ID);
        LOG.info("tree {} started: pid {}, {}{}, policy {}", tree.id(), spec.pid(),
                spec.properties().getOrDefault(SupervisedTree.SOURCE, "?"),
                container != null ? " container " + container : "", spec.policy().name());
        return tree;
    }

    /** The pidfd pins the process for kill and status; a process already gone just has none. */
    private static Pidfd openPidfd(long pid) {
        try {
            return Pidfd.open((int) pid);
        } catch (NativeException e) {
            LOG.debug("no pidfd for pid {}: {}", pid, e.getMessage());
            return null;
        }
    }

    private void closed(Tree tree) {
        custody.ended(tree); // custody (fallback keeper)
        trees.remove(tree.id());
        treesEnded.increment();
        observers.treeEnded(tree);
        TreeStatus.Counters c = tree.counters.snapshot();
        LOG.info("tree {} ended: pid {}, {} notifications ({} allowed, {} denied, {} responded, {} killed, {} paused)",
                tree.id(), tree.pid(), c.notifications(), c.allowed(), c.denied(), c.responded(), c.killed(), c.paused());
    }

    @Override
    public List<TreeStatus> trees() {
        Decision global = decider.globalPause();
        return trees.values().stream().sorted(Comparator.comparingLong(t -> t.sequence))
                .map(t -> t.status(global)).toList();
    }

    @Override
    public Optional<TreeStatus> tree(String treeId) {
        return Optional.ofNullable(trees.get(treeId)).map(t -> t.status(decider.globalPause()));
    }

    @Override
    public void pause(String treeId, Decision answer) {
        find(treeId).pause(answer(answer));
        LOG.info("tree {} paused: answering {}", treeId, answer);
    }

    @Override
    public void resume(String treeId) {
        find(treeId).resume();
        LOG.info("tree {} resumed", treeId);
    }

    @Override
    public void pauseAll(Decision answer) {
        decider.pauseAll(answer(answer));
        LOG.info("supervisor paused: answering {}", answer);
    }

    @Override
    public void resumeAll() {
        decider.resumeAll();
        LOG.info("supervisor resumed");
    }

    @Override
    public void swapPolicy(String treeId, TreePolicy policy) {
        find(treeId).swapPolicy(Objects.requireNonNull(policy, "policy"));
        LOG.info("tree {} now runs policy {}", treeId, policy.name());
    }

    @Override
    public List<HandlerStatus> handlers() {
        return handlers.statuses();
    }

    @Override
    public SupervisorStats stats() {
        return new SupervisorStats(trees.size(), treesEnded.sum(), loops.notifications(), observers.dropped(),
                loops.count(), loops.syncWakeUp());
    }

    private Tree find(String treeId) {
        Tree tree = trees.get(treeId);
        if (tree == null) {
            throw new NoSuchElementException("no tree " + treeId);
        }
        return tree;
    }

    private static Decision answer(Decision d) {
        if (Objects.requireNonNull(d, "answer").isPass()) {
            throw new IllegalArgumentException("a pause answers: pass is not an answer");
        }
        return d;
    }
}
