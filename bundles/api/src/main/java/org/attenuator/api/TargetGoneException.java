package org.attenuator.api;

/**
 * The target of a notification is gone or no longer waits on it (it exited, was killed, or a signal
 * interrupted the syscall), so what was read from it cannot be trusted and no answer is possible.
 * Handlers need not catch it: the supervisor treats it as the end of that notification.
 */
public class TargetGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetGoneException(String message) {
        super(message);
    }
}
