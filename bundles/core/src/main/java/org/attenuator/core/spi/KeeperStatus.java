package org.attenuator.core.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whether the fallback keeper runs and which trees it covers, for the doctor, the CLI and the
 * shell. A service registered by the fallback plugin; absent when the plugin is not installed.
 */
@ConsumerType
public interface KeeperStatus {

    /** The state now. */
    Report report();

    /** How the link to the keeper stands. */
    enum State {
        /** Connected: the keeper holds copies of the listeners and watches. */
        WATCHING,
        /** Not connected (yet, or again): starting or restarting the keeper. */
        CONNECTING,
        /** No tree to cover yet: the keeper starts with the first supervised tree. */
        STANDBY,
        /** Disabled by configuration: a supervisor crash means ENOSYS for the workload. */
        DISABLED
    }

    /**
     * @param state the link's state
     * @param keeperPid the keeper's pid (-1 if unknown)
     * @param keeper the keeper executable
     * @param socket the keeper's socket
     * @param since when the state began
     * @param restarts how many times the keeper had to be started again after it died
     * @param detail one line: the last error, or how the keeper was found
     * @param trees the trees the keeper covers now
     */
    record Report(State state, long keeperPid, Path keeper, Path socket, Instant since, int restarts,
            String detail, List<CoveredTree> trees) {

        public Report {
            trees = List.copyOf(trees);
        }
    }

    /**
     * @param treeId the supervisor's id of the tree
     * @param custodyId the keeper's id of the tree
     * @param pid the tree's root process
     * @param fallback the fallback table the keeper answers with, in the keeper's syntax
     *     ({@code default=errno:1,59=allow})
     * @param source where the table came from: {@code tree}, {@code policy} or {@code default}
     */
    record CoveredTree(String treeId, String custodyId, long pid, String fallback, String source) {
    }
}
