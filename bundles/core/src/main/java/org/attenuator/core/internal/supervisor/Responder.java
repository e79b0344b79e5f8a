package org.attenuator.core.internal.supervisor;

import java.io.UncheckedIOException;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.TargetGoneException;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a decided notification: sends the answer to the kernel, counts it and tells the
 * observers. Called by the event loop that received the call, or by the watchdog for a call whose
 * handler hung; never fails the target silently (an answer that cannot be sent becomes EPERM).
 */
final class Responder {

    private static final String AUDIT_ON = "true";
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);
    private static final int SIGKILL = 9;
    private static final int EPERM = 1;
    private static final int MAX_PATH = 4096;

    private final ObserverDispatcher observers;

    Responder(ObserverDispatcher observers) {
        this.observers = observers;
    }

    /** Answers {@code call} with its own decision. */
    void answer(PendingCall call) {
        Tree tree = call.tree;
        try {
            String executable = executedPath(call);
            // Denials, kills and audited calls are what observers log: they get the caller's memory as
            // the call gave it, read before the answer releases the caller.
            Decision.Kind kind = call.decision.kind();
            if (kind == Decision.Kind.DENY || kind == Decision.Kind.KILL) {
                // audit mode allows what the tree would deny, never what the kernel filter denies
                Decision wouldBe = AUDIT_ON.equals(tree.properties().get(SupervisedTree.AUDIT))
                        && !Decider.PROFILE.equals(call.decidedBy) ? call.decision : null;
                ArgumentSnapshot memory = observers.watching()
                        ? ArgumentSnapshot.take(call, AfterAnswerReader.before(call.pid())) : null;
                Decision sent = wouldBe != null ? Decision.allow() : call.decision;
                send(call, sent);
                tree.counters.answered(sent);
                observers.answered(call, sent, wouldBe, call.decidedBy, memory);
                return;
            }
            send(call, call.decision);
            tree.counters.answered(call.decision);
            observers.answered(call);
            if (executable != null) {
                observers.executed(tree, call.pid(), executable);
            }
        } catch (TargetGoneException | org.attenuator.linux.NotificationGoneException e) {
            tree.counters.targetGone.increment();
        } catch (NativeException e) {
            tree.counters.errors.increment();
            if (tree.errorLog.allow()) {
                LOG.warn("{}: answering {} of pid {}: {}; answering EPERM", tree, call.syscall, call.pid(), e.getMessage());
            }
            answerEperm(call); // e.g. a kill that could not open the caller: the target must not wait forever
        }
    }

    /** Answers {@code call} with {@code d} decided by {@code by} instead of its own decision (the watchdog's). */
    void answerInstead(PendingCall call, Decision d, String by) {
        Tree tree = call.tree;
        try {
            send(call, d);
            tree.counters.answered(d);
            observers.answered(call, d, by);
        } catch (TargetGoneException | org.attenuator.linux.NotificationGoneException e) {
            tree.counters.targetGone.increment();
        } catch (NativeException e) {
            tree.counters.errors.increment();
            LOG.warn("{}: answering {} ({}): {}", tree, call.syscall, by, e.getMessage());
            answerEperm(call);
        }
    }

    /** An unanswered notification would block its target forever. */
    static void answerEperm(PendingCall call) {
        try {
            call.tree.listener.sendError(call.id(), EPERM);
        } catch (NativeException e) {
            LOG.debug("{}: {}", call.tree, e.getMessage());
        }
    }

    /**
     * Sends {@code d} for {@code call}.
     *
     * @throws org.attenuator.linux.NotificationGoneException if the target no longer waits (ENOENT)
     * @throws NativeException for any other failure
     */
    private static void send(PendingCall call, Decision d) throws NativeException {
        NotifyListener listener = call.tree.listener;
        long id = call.id();
        switch (d.kind()) {
            case ALLOW -> listener.sendContinue(id);
            case DENY -> listener.sendError(id, d.errno());
            case RESPOND -> listener.sendValue(id, d.value());
            case KILL -> kill(call, listener, id);
            case PASS -> throw new IllegalStateException("pass is not an answer");
        }
    }

    /**
     * Kills the caller's process through a pidfd, opened and then confirmed with ID_VALID so that a
     * reused pid is never signalled; then fails the syscall, in case the kill has not landed yet.
     * A routed kill rule of the profile kills as the kernel would ({@link SeccompKill}).
     * The notification names the calling thread, which need not be its process's leader:
     * {@link Pidfd#openTask} handles that, and SIGKILL to any thread ends the whole process.
     */
    private static void kill(PendingCall call, NotifyListener listener, long id) throws NativeException {
        try (Pidfd caller = Pidfd.openTask((int) call.pid())) {
            if (!listener.isIdValid(id)) {
                throw new org.attenuator.linux.NotificationGoneException("ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID)");
            }
            if (Decider.PROFILE.equals(call.decidedBy)) {
                SeccompKill.kill(caller, (int) call.pid()); // the profile's kill rule, as the kernel would
            } else {
                caller.sendSignal(SIGKILL);
            }
        }
        try {
            listener.sendError(id, EPERM);
        } catch (org.attenuator.linux.NotificationGoneException killed) {
            // the signal ended the wait first: the kill is done, and observers still hear of it
        }
    }

    /**
     * The path an allowed execve/execveat runs, read before the answer (after it, the caller's
     * memory is the new program's); only when observers watch. Null otherwise. For observers
     * only: the string is the caller's memory (see TreePolicy on per-executable decisions).
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
}
