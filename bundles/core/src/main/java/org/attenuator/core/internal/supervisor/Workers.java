package org.attenuator.core.internal.supervisor;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.attenuator.api.Decision;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that decide and answer notifications: take a received call, run the {@link Decider},
 * send the answer, tell the observers, and give the call back to the pool.
 */
final class Workers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    private static final int EPERM = 1;
    private static final int MAX_PATH = 4096;

    private final BlockingQueue<PendingCall> idle;
    private final BlockingQueue<PendingCall> ready;
    private final Decider decider;
    private final Responder responder = new Responder();
    private final ObserverDispatcher observers;
    private final List<Thread> threads = new ArrayList<>();

    Workers(int count, BlockingQueue<PendingCall> idle, BlockingQueue<PendingCall> ready, Decider decider,
            ObserverDispatcher observers) {
        this.idle = idle;
        this.ready = ready;
        this.decider = decider;
        this.observers = observers;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "attenuator-worker-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    int count() {
        return threads.size();
    }

    private void work() {
        try {
            while (true) {
                PendingCall call = ready.take();
                try {
                    process(call);
                } finally {
                    call.tree.leave();
                    call.clear();
                    idle.add(call);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private void process(PendingCall call) {
        Tree tree = call.tree;
        try {
            decider.decide(call);
            String executable = executedPath(call);
            responder.answer(call);
            tree.counters.answered(call.decision);
            observers.answered(call);
            if (executable != null) {
                observers.executed(tree, call.pid(), executable);
            }
        } catch (TargetGoneException | org.attenuator.linux.TargetGoneException e) {
            tree.counters.targetGone.increment();
        } catch (NativeException e) {
            tree.counters.errors.increment();
            if (tree.errorLog.allow()) {
                LOG.warn("{}: answering {} of pid {}: {}", tree, call.syscall, call.pid(), e.getMessage());
            }
        } catch (RuntimeException e) {
            tree.counters.errors.increment();
            LOG.error("{}: deciding {} of pid {} failed; answering EPERM", tree, call.syscall, call.pid(), e);
            answerEperm(call);
        }
    }

    /** An unanswered notification would block its target forever. */
    private static void answerEperm(PendingCall call) {
        try {
            call.tree.listener.sendError(call.id(), EPERM);
        } catch (NativeException e) {
            LOG.debug("{}: {}", call.tree, e.getMessage());
        }
    }

    /**
     * The path an allowed execve/execveat runs, read before the answer (after it, the caller's
     * memory is the new program's); only when observers watch. Null otherwise.
     */
    private String executedPath(PendingCall call) {
        if (call.decision.kind() != Decision.Kind.ALLOW || !observers.watching()) {
            return null;
        }
        String name = call.syscall.name();
        int pathArg = name.equals("execve") ? 0 : name.equals("execveat") ? 1 : -1;
        if (pathArg < 0) {
            return null;
        }
        try {
            return call.reader().readString(call.arg(pathArg), MAX_PATH);
        } catch (UncheckedIOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
