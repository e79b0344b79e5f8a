package org.attenuator.cli.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchProfile;

/**
 * What {@code run} needs of the learning plugin, in types that do not name the plugin's: the CLI
 * imports the plugin's package optionally, so {@link RunCommand} must load and run without it.
 * {@link LearningRuns}, which uses the plugin, is only activated when its profile store is there.
 */
interface Learner {

    /** The learned profile {@code learned:KEY}, evaluated with {@code caps}; exit 2 when the store has none. */
    LaunchProfile learned(String key, Set<String> caps) throws CommandException;

    /**
     * Makes {@code b} a learning run ({@code --learn}), or, when the key's profile is settled
     * ({@code enforceAfter} runs in a row added nothing, 0: never), has it enforce that profile.
     *
     * @param key the learning key; empty: the command's default key
     * @param kernelOnly whether an enforcing run is kernel-only (no apply point)
     * @return the learning run to follow, or empty when it enforces
     */
    Optional<Run> learn(Launch.Builder b, String key, List<String> command, int enforceAfter, boolean kernelOnly,
            Set<String> caps, PrintStream err) throws CommandException;

    /** A learning run's progress on stderr: {@link #follow()} before the launch, {@link #close()} after. */
    interface Run extends AutoCloseable {

        /** Starts following the run (the learning handler reports to it). */
        void follow();

        /** Waits, for a bounded time, for the learning handler to report the run's end. */
        void awaitEnd();

        /** Stops following. */
        @Override
        void close();
    }
}
