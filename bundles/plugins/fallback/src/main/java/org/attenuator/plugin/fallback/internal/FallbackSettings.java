package org.attenuator.plugin.fallback.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.attenuator.linux.AttenuatorPaths;

/**
 * How the fallback plugin runs (see {@link FallbackComponent.Config}).
 *
 * @param enabled false: no keeper; a supervisor crash means ENOSYS for the workload
 * @param fallback the global default fallback, in the user's form ({@code errno:EPERM})
 * @param fromPolicy whether trees without a fallback of their own get the table derived from
 *     their policy (else the global default)
 * @param keeper the attenuator-keeper executable
 * @param socket the keeper's socket
 * @param slots trees whose in-flight notifications can be recorded at once
 * @param ring notifications per tree recorded at once (at least the supervisor's maxPending)
 * @param takeBack whether this supervisor takes back the trees a keeper holds although it has none
 *     of its own: true for a long-running supervisor (the agent, Karaf); false leaves a dead
 *     agent's trees with the keeper while a short command such as {@code run} runs
 */
public record FallbackSettings(boolean enabled, String fallback, boolean fromPolicy, Path keeper, Path socket,
        int slots, int ring, boolean takeBack) {

    public FallbackSettings {
        Objects.requireNonNull(keeper, "keeper");
        Objects.requireNonNull(socket, "socket");
        FallbackSpec.parse(fallback, FallbackSpec.of("errno:1"), null); // throws with the reason
        if (slots < 1 || slots > InFlightTable.MAX_SLOTS || ring < 1 || ring > InFlightTable.MAX_RING) {
            throw new IllegalArgumentException("slots must be 1.." + InFlightTable.MAX_SLOTS + " and ring 1.."
                    + InFlightTable.MAX_RING + ": " + slots + ", " + ring);
        }
    }

    /** The keeper's stdout and stderr, next to its socket. */
    Path keeperLog() {
        return socket.resolveSibling(KeeperHome.LOG_FILE);
    }

    /**
     * The keeper executable: {@code configured} if set, else in the native directory (the framework
     * or system property {@code attenuator.native.dir}), else {@code attenuator.distribution}/bin.
     */
    static Path keeperPath(String configured, String nativeDir, String distribution) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (nativeDir != null && !nativeDir.isBlank()) {
            return Path.of(nativeDir, "attenuator-keeper");
        }
        if (distribution != null && !distribution.isBlank()) {
            return Path.of(distribution, "bin", "attenuator-keeper");
        }
        throw new IllegalArgumentException("no keeper: set 'keeper', attenuator.native.dir or attenuator.distribution");
    }

    /**
     * The socket: {@code configured} if set, else {@code $ATTENUATOR_HOME/run/keeper.sock}, else
     * {@code keeper.sock} in Attenuator's runtime directory ({@link AttenuatorPaths#runtime()}: never a
     * guessable directory under /tmp, which another user could create first). A short-lived
     * supervisor ({@code shared} false: a `run`) gets {@code keeper-PID.sock} there instead: a keeper
     * serves one supervisor at a time, and a run must neither wait for a long-running agent's keeper
     * (its launch would be refused) nor keep an agent restarting meanwhile from its own.
     */
    static Path socketPath(String configured, String home, boolean shared) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String name = shared ? "keeper.sock" : "keeper-" + ProcessHandle.current().pid() + ".sock";
        if (home != null && !home.isBlank()) {
            return Path.of(home, "run", name);
        }
        return AttenuatorPaths.runtime().resolve(name);
    }
}
