package org.attenuator.core.spi;

import org.attenuator.linux.Fd;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A custodian's hold on the agent's socket ({@link ListenerCustodian#holdIntake}): it accepts the
 * socket's connections itself and keeps a copy of every listener a connection's message carries
 * before it hands the connection, message unread, to the intake. A listener handed to the agent
 * thus never depends on the agent's process alone, not even while it waits in the socket's queue
 * or the agent's adoption queue (docs/keeper.md, "The adoption window").
 *
 * @since 1.0.0
 */
@ProviderType
public interface IntakeCustody extends AutoCloseable {

    /** Where the custodian hands the intake its connections; called on the custodian's threads. */
    @ConsumerType
    interface Handoff {

        /** The custodian is about to accept on the socket: returns once the intake accepts no more itself. */
        void pause();

        /** The custodian does not accept (any more, e.g. its keeper went away): the intake accepts on its own again. */
        void resume();

        /**
         * A connection the custodian accepted, its message unread. The intake owns {@code connection}
         * and calls {@link IntakeCustody#done} with the ticket once it is finished with it (its tree
         * adopted, or the connection refused).
         */
        void connection(long ticket, Fd connection);
    }

    /** The intake is finished with the connection of this ticket: the custodian's copies go. */
    void done(long ticket);

    /** The intake closes: the custodian hands it nothing more. */
    @Override
    void close();
}
