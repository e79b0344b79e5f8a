package org.attenuator.linux;

/**
 * ENOENT from a notification ioctl: the target exited, or a signal ended the notified syscall
 * (the id is no longer valid). An expected event, not an error.
 */
public final class NotificationGoneException extends NativeException {
    private static final long serialVersionUID = 1L;

    public NotificationGoneException(String syscall) {
        super(syscall, Errno.ENOENT);
    }

    @Override
    public boolean isTargetGone() {
        return true;
    }
}
