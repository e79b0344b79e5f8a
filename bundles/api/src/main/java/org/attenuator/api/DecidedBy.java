package org.attenuator.api;

/**
 * The {@code decidedBy} an observer is told ({@link SyscallObserver#answered}) when no handler
 * decided: besides a handler's {@code component.name} (or class name), one of these. The deny-log
 * writes it as is.
 *
 * @since 1.3
 */
public final class DecidedBy {

    /** The launcher's own exec of the target, allowed before the target runs. */
    public static final String LAUNCHER = "launcher";
    /** The tree (or the whole supervisor) was paused: the pause's answer, without the handlers. */
    public static final String PAUSED = "paused";
    /** Every handler passed: the tree policy's decision. */
    public static final String UNDECIDED = "undecided";
    /** Deciding took longer than the supervisor's handler timeout: the watchdog answered with the undecided decision. */
    public static final String TIMEOUT = "timeout";
    /**
     * A denial of the profile's filter that the supervisor answers in the kernel's place, exactly
     * as the kernel would have (the deny-log's routed denials).
     */
    public static final String PROFILE = "profile";

    private DecidedBy() {
    }
}
