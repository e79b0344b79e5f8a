package org.attenuator.core;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens OCI seccomp agent sockets (runc, crun, attenuator-exec's hand-over): each valid message
 * on one becomes a tree of the {@link Supervisor}, its policy from the
 * {@link org.attenuator.core.spi.PolicySource} named in the message. A service of its own, so
 * that the supervisor only supervises and a face opens sockets without holding it.
 */
@ProviderType
public interface Intakes {

    /**
     * Starts listening with these settings; the caller closes the intake.
     *
     * @throws java.nio.file.FileAlreadyExistsException if something other than a stale socket is at the path
     * @throws IOException if the socket cannot be created
     */
    Intake open(IntakeSettings settings) throws IOException;
}
