package org.attenuator.core.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the supervisor notes, for one tree, each notification it received and has not answered
 * yet, so that a {@link ListenerCustodian} can answer them if the supervisor dies before it does.
 * On the hot path: implementations must not allocate, block or take locks.
 */
@ConsumerType
public interface InFlightRecorder {

    /** Records nothing. */
    InFlightRecorder NONE = new InFlightRecorder() {
        @Override
        public int received(long id, int nr, int arch, int pid) {
            return -1;
        }

        @Override
        public void answered(int entry) {
        }
    };

    /**
     * A notification was received (called by the tree's event loop only, in the kernel's order).
     *
     * @return a handle for {@link #answered}, or -1 when it could not be recorded
     */
    int received(long id, int nr, int arch, int pid);

    /**
     * The notification recorded as {@code entry} was answered, or its target went away; called
     * after the answer was sent, by the tree's event loop or, for a call whose handler hung, by
     * the supervisor's watchdog. Ignores -1.
     */
    void answered(int entry);
}
