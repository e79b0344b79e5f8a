package org.attenuator.plugin.learning.internal;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallHandler;
import org.attenuator.api.SyscallObserver;
import org.attenuator.api.Syscall;
import org.attenuator.plugin.learning.ArgMatch;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.LearningListener;
import org.attenuator.plugin.learning.MergeResult;
import org.attenuator.plugin.learning.ProfileStore;
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
 * Learning mode: allows every notified syscall of a learning tree and records it, with the
 * register values that matter ({@link ArgRecorder}), per learning key ({@link KeyResolver}).
 * Ranked low, so that the handlers that decide run first and learning takes what they pass.
 *
 * <p>The hot path only touches a concurrent map. The learning thread resolves the key (hashing the
 * executable), tells {@link LearningListener}s what is new, and merges into the {@link ProfileStore}:
 * every {@code flushSeconds}, and at the end of the tree, which counts one run.
 */
@Component(service = {SyscallHandler.class, SyscallObserver.class}, configurationPid = LearningHandler.PID,
        property = {SyscallHandler.TARGET + "=" + KeyResolver.TARGET, "service.ranking:Integer=-1000"})
@Designate(ocd = LearningHandler.Config.class)
public final class LearningHandler implements SyscallHandler, SyscallObserver {

    public static final String PID = "org.attenuator.plugin.learning";

    @ObjectClassDefinition(name = "Attenuator learning", description = "Learning mode: allow and record")
    public @interface Config {
        @AttributeDefinition(name = "Flush interval (s)", description = "How often what the running trees "
                + "learned is merged into the store; the end of a tree always merges", min = "1")
        int flushSeconds() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LearningHandler.class);

    private final ProfileStore store;
    private final ConcurrentHashMap<String, LearningSession> sessions = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<LearningListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;

    @Activate
    public LearningHandler(@Reference ProfileStore store, Config config) {
        if (config.flushSeconds() < 1) {
            throw new IllegalArgumentException("flushSeconds must be at least 1, got " + config.flushSeconds());
        }
        this.store = store;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "attenuator-learning");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
        thread.scheduleWithFixedDelay(this::flushAll, config.flushSeconds(), config.flushSeconds(), TimeUnit.SECONDS);
        submit(LearningHandler::warmUpHotPath);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(LearningListener listener) {
        listeners.add(listener);
    }

    void removeListener(LearningListener listener) {
        listeners.remove(listener);
    }

    /** Merges what every running tree learned so far, then stops the learning thread. */
    @Deactivate
    public void deactivate() {
        thread.execute(this::flushAll);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("learning: the last merge did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Decision handle(SyscallEvent event, HandlerContext context) {
        LearningSession session = session(event.tree());
        session.notified.increment();
        Syscall syscall = event.syscall();
        LearnedSyscall learned = new LearnedSyscall(syscall.arch(), syscall.name(), ArgRecorder.args(syscall.name(), event::arg));
        if (session.record(learned, context.phase())) {
            submit(() -> announce(session, learned));
        }
        return Decision.allow();
    }

    /** Learning records in handle(), where the phase is known: no answered call is needed. */
    @Override
    public Set<Decision.Kind> answeredKinds() {
        return EnumSet.noneOf(Decision.Kind.class);
    }

    @Override
    public void answered(SyscallEvent event, Decision decision, String decidedBy) {
        // see answeredKinds()
    }

    @Override
    public void treeStarted(SupervisedTree tree) {
        if (KeyResolver.declared(tree.properties()).isPresent()) {
            session(tree);
        }
    }

    @Override
    public void treeEnded(SupervisedTree tree) {
        LearningSession session = sessions.remove(tree.id());
        if (session != null) {
            submit(() -> end(session));
        }
    }

    /** Trees learning now: tree id to key (null while the key is being resolved). */
    public Map<String, String> running() {
        Map<String, String> result = new java.util.TreeMap<>();
        sessions.forEach((id, s) -> result.put(id, s.key == null ? "" : s.key));
        return result;
    }

    private LearningSession session(SupervisedTree tree) {
        LearningSession session = sessions.get(tree.id());
        if (session != null) {
            return session;
        }
        return sessions.computeIfAbsent(tree.id(), id -> {
            LearningSession created = new LearningSession(tree);
            submit(() -> begin(created));
            return created;
        });
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("learning: stopped, dropping a task");
        }
    }

    // --- the learning thread

    /**
     * The hot path's first run in a fresh JVM is slow: a record's hashCode and equals, and each
     * lambda, are bound through invokedynamic on first use (seen: 250-620 ms on the first
     * notification of a new agent, over the handler budget, so that call was denied and the
     * container died). Run it here once, on the learning thread at activation, on a tree of nobody.
     */
    private static void warmUpHotPath() {
        SupervisedTree nobody = new SupervisedTree() {
            @Override
            public String id() {
                return "warm-up";
            }

            @Override
            public long pid() {
                return 0;
            }

            @Override
            public Map<String, Object> properties() {
                return Map.of(org.attenuator.plugin.learning.Learning.BASE_PROPERTY, "read");
            }
        };
        LearningSession session = new LearningSession(nobody);
        for (HandlerContext.Phase phase : HandlerContext.Phase.values()) {
            session.record(new LearnedSyscall("x86_64", "ioctl", List.of(ArgMatch.eq(1, 0x5401))), phase);
        }
        session.snapshot();
    }

    private void begin(LearningSession session) {
        try {
            session.key = KeyResolver.resolve(session.tree);
            Optional<LearnedProfile> sofar = store.load(session.key);
            session.known = sofar.map(p -> p.syscalls().keySet()).orElse(Set.of());
            LOG.info("learning: tree {} learns under key {} ({} syscalls known)", session.tree.id(), session.key,
                    session.known.size());
            notifyListeners(l -> l.started(session.key, session.tree.id(), sofar));
        } catch (IOException | RuntimeException e) {
            session.failed = true;
            LOG.warn("learning: tree {} cannot learn: {}", session.tree.id(), reason(e));
        }
    }

    private void announce(LearningSession session, LearnedSyscall learned) {
        if (session.failed || session.known.contains(learned)) {
            return;
        }
        notifyListeners(l -> l.learned(session.key, session.tree.id(), learned));
    }

    private void flushAll() {
        for (LearningSession session : sessions.values()) {
            if (session.key != null && !session.failed && session.takeDirty()) {
                try {
                    MergeResult result = store.merge(session.key, session.snapshot());
                    session.changedEarlier |= result.changed();
                } catch (IOException | RuntimeException e) {
                    session.markDirty();
                    LOG.warn("learning: cannot merge tree {} into {}: {}", session.tree.id(), session.key, reason(e));
                }
            }
        }
    }

    private void end(LearningSession session) {
        if (session.failed || session.key == null) {
            return;
        }
        try {
            MergeResult result = store.endRun(session.key, session.snapshot(), session.changedEarlier);
            long notified = session.notified.sum();
            LOG.info("learning: tree {} ended; key {}: {} syscalls, {} new, run {}, {} runs without change, {} calls notified",
                    session.tree.id(), session.key, result.profile().syscalls().size(), result.added().size(),
                    result.profile().runs(), result.profile().runsWithoutChange(), notified);
            notifyListeners(l -> l.ended(session.key, session.tree.id(), result, notified));
        } catch (IOException | RuntimeException e) {
            LOG.error("learning: tree {} ended but its {} syscalls could not be stored under {}: {}",
                    session.tree.id(), session.size(), session.key, reason(e));
        }
    }

    /** An IOException's message names the path and what went wrong (e.g. a refused profile); a bug shows its class. */
    private static String reason(Exception e) {
        return e instanceof IOException ? e.getMessage() : e.toString();
    }

    private void notifyListeners(Consumer<LearningListener> call) {
        List<LearningListener> snapshot = List.copyOf(listeners);
        for (LearningListener l : snapshot) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("learning: listener {} failed: {}", l, e.toString());
            }
        }
    }
}
