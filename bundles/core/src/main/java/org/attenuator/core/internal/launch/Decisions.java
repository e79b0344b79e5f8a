package org.attenuator.core.internal.launch;

import org.attenuator.api.Decision;
import org.attenuator.bpf.Action;
import org.attenuator.core.spi.TreePolicy;

/** Between kernel actions and supervisor decisions. */
final class Decisions {

    static final int ENOSYS = 38;

    private Decisions() {
    }

    /** What the supervisor answers to do what {@code action} would have done; USER_NOTIF gets {@code undecided}. */
    static Decision of(Action action, Decision undecided) {
        return switch (action.kind()) {
            case ALLOW, LOG -> Decision.allow();
            case ERRNO -> action.data() == 0 ? Decision.respond(0) : Decision.deny(action.data());
            case KILL_PROCESS, KILL_THREAD, TRAP -> Decision.kill();
            case TRACE -> Decision.deny(ENOSYS); // no tracer attached: the kernel fails it with ENOSYS
            case USER_NOTIF -> undecided;
        };
    }

    /** The kernel action closest to a decision, for kernel-only filters. */
    static Action toAction(Decision d) {
        return switch (d.kind()) {
            case ALLOW, PASS -> Action.ALLOW;
            case DENY -> Action.errno(d.errno());
            case RESPOND -> d.value() == 0 ? Action.errno(0) : Action.errno(TreePolicy.EPERM);
            case KILL -> Action.KILL_PROCESS;
        };
    }
}
