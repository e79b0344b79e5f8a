package org.attenuator.core;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** A listening OCI seccomp agent socket; {@link #close()} stops it and removes the socket file. */
@ProviderType
public interface Intake extends AutoCloseable {

    Path socket();

    /** Listeners adopted through this socket so far. */
    long accepted();

    /** Connections rejected so far (unknown peer, malformed message, stall). */
    long rejected();

    @Override
    void close();
}
