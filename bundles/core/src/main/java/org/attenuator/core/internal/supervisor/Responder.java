package org.attenuator.core.internal.supervisor;

import org.attenuator.api.Decision;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.attenuator.linux.TargetGoneException;

/** Sends a decided notification's answer to the kernel. */
final class Responder {

    private static final int SIGKILL = 9;
    private static final int EPERM = 1;

    /**
     * Answers {@code call} with its decision.
     *
     * @throws org.attenuator.linux.TargetGoneException if the target no longer waits (ENOENT)
     * @throws NativeException for any other failure
     */
    void answer(PendingCall call) throws NativeException {
        answer(call, call.decision);
    }

    /** Answers {@code call} with {@code d} (not necessarily the call's own decision). */
    void answer(PendingCall call, Decision d) throws NativeException {
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
     * The notification names the calling thread, which need not be its process's leader:
     * {@link Pidfd#openTask} handles that, and SIGKILL to any thread ends the whole process.
     */
    private static void kill(PendingCall call, NotifyListener listener, long id) throws NativeException {
        try (Pidfd caller = Pidfd.openTask((int) call.pid())) {
            if (!listener.isIdValid(id)) {
                throw new TargetGoneException("ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID)");
            }
            caller.sendSignal(SIGKILL);
        }
        listener.sendError(id, EPERM);
    }
}
