package org.attenuator.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where and for whom the OCI seccomp agent socket listens.
 *
 * @param socket the socket's path; its directory is created with mode 0700 if missing, the socket
 *     gets mode 0600
 * @param allowedUids peers allowed besides root (checked with SO_PEERCRED)
 * @param stallTimeout how long a peer may take to send its whole message
 */
public record IntakeSettings(Path socket, Set<Integer> allowedUids, Duration stallTimeout) {

    /** The longest message accepted; runc's are a few hundred bytes. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    public IntakeSettings {
        Objects.requireNonNull(socket, "socket");
        allowedUids = Set.copyOf(allowedUids);
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive: " + stallTimeout);
        }
    }

    /** Root only, 5 s to send a message. */
    public static IntakeSettings at(Path socket) {
        return new IntakeSettings(socket, Set.of(), Duration.ofSeconds(5));
    }
}
