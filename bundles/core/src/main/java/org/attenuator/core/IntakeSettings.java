package org.attenuator.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where and for whom the OCI seccomp agent socket listens.
 *
 * @param socket the socket's path; its directory is created with mode 0700 if missing, the socket
 *     gets mode 0600. An existing file there is removed only if it is a stale socket (nobody
 *     listens on it); anything else refuses the intake.
 * @param allowedUids peers allowed besides root (checked with SO_PEERCRED)
 * @param stallTimeout how long a peer may take to send its whole message
 * @param maxConnectionsPerUid how many connections one uid may have open, messages unfinished, at a time
 * @param profileDirs the directories a peer's {@code profile=NAME} (or an absolute path inside one
 *     of them) may name a profile file in; no other file is ever opened for a peer
 */
public record IntakeSettings(Path socket, Set<Integer> allowedUids, Duration stallTimeout, int maxConnectionsPerUid,
        List<Path> profileDirs) {

    /**
     * The longest message accepted: runc's are a few hundred bytes; {@code run --agent} carries
     * its profile's text in it.
     */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** The bytes of unfinished messages one uid's connections may hold together. */
    public static final long MAX_BYTES_PER_UID = 16L * MAX_MESSAGE_BYTES;
    /** Open connections one uid may have by default. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_UID = 1024;

    public IntakeSettings {
        Objects.requireNonNull(socket, "socket");
        allowedUids = Set.copyOf(allowedUids);
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive: " + stallTimeout);
        }
        if (maxConnectionsPerUid <= 0) {
            throw new IllegalArgumentException("maxConnectionsPerUid must be positive: " + maxConnectionsPerUid);
        }
        profileDirs = profileDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /**
     * No profile directories, the default connection share.
     *
     * @since 0.3.0
     */
    public IntakeSettings(Path socket, Set<Integer> allowedUids, Duration stallTimeout) {
        this(socket, allowedUids, stallTimeout, DEFAULT_MAX_CONNECTIONS_PER_UID, List.of());
    }

    /** Root only, 5 s to send a message. */
    public static IntakeSettings at(Path socket) {
        return new IntakeSettings(socket, Set.of(), Duration.ofSeconds(5));
    }
}
