package org.attenuator.core;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A launched target, already running its own program under the filter when the launch returned.
 * {@link #close()} kills it if it still runs and releases what the launch held.
 */
@ProviderType
public interface LaunchedProcess extends AutoCloseable {

    /** The target's pid (the process that installed the filter and exec'd the target). */
    long pid();

    /** The supervised tree's id, when {@link Launch.Mode#SUPERVISED}; empty otherwise. */
    Optional<String> treeId();

    /** The launch this process came from. */
    Launch launch();

    /** Shell convention: the exit code, or 128 + N when signal N killed the target. Blocks. */
    int waitFor() throws InterruptedException;

    /** As {@link #waitFor()}, or empty when the target still runs after the timeout. */
    Optional<Integer> waitFor(long timeout, TimeUnit unit) throws InterruptedException;

    boolean isAlive();

    /**
     * Sends signal {@code signal} (for example 2 for SIGINT, 15 for SIGTERM) to the target through
     * its pidfd; does nothing once it has ended.
     */
    void signal(int signal);

    /**
     * The target as a {@link Process}: its pipes when launched with {@link Launch.Stdio#PIPE} (empty
     * streams with {@link Launch.Stdio#INHERIT}), waitFor, destroy. Not spawned by the JDK (the fork
     * server forked it), so {@link Process#toHandle()} is unsupported.
     */
    Process process();

    @Override
    void close();
}
