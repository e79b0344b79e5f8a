package org.attenuator.plugin.learning;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.profile.Profile;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Learned profiles on disk: one OCI seccomp profile per learning key in
 * {@code HOME/learned/NAME.json}, readable by people and by runc, crun, Docker and Podman. Every
 * write is atomic (temporary file in the same directory, fsync, rename) under a lock on a sidecar
 * {@code .NAME.lock} file, so concurrent runs on one key, in this process or in others, lose nothing.
 * Files are 0600, directories 0700. A directory or profile that someone other than this uid or root
 * could have written, or a symbolic link in its place, is refused with an IOException naming it
 * ({@code refusing PATH: REASON}).
 */
@ProviderType
public interface ProfileStore {

    /** The directory holding the learned profiles ({@code HOME/learned}). */
    Path directory();

    /** The file a key is stored in (whether it exists or not). */
    Path fileOf(String key);

    /** Every stored learned profile, sorted by key; unreadable files are skipped and logged. */
    List<LearnedProfile> list() throws IOException;

    /**
     * The profile stored under {@code key}; {@code key} may also be a file name as {@link #list()}
     * shows it, with or without {@code .json}.
     *
     * @throws IOException if the file exists but cannot be read or parsed
     */
    Optional<LearnedProfile> load(String key) throws IOException;

    /** The profile of {@code key} as an OCI profile model, to compile and install ({@code --profile learned:KEY}). */
    default Optional<Profile> profile(String key) throws IOException {
        return load(key).map(LearnedProfile::profile);
    }

    /**
     * Adds {@code seen} to the profile of {@code key} (created if absent) in the middle of a run: the
     * run and change counters stay as they are.
     */
    MergeResult merge(String key, Map<LearnedSyscall, Set<Phase>> seen) throws IOException;

    /**
     * Adds {@code seen} as the end of one learning run: the run counter goes up by one, and the
     * runs-without-change counter goes up when neither this merge nor {@code changedEarlier} (an
     * earlier {@link #merge} of the same run) changed the profile, else it restarts at 0.
     */
    MergeResult endRun(String key, Map<LearnedSyscall, Set<Phase>> seen, boolean changedEarlier) throws IOException;

    /**
     * The stored profile of {@code key} in {@code format}, as learned ({@link ContainerRuntime#NONE}).
     *
     * @since 1.2.0
     */
    default Optional<String> export(String key, ExportFormat format) throws IOException {
        return export(key, format, ContainerRuntime.NONE);
    }

    /**
     * The stored profile of {@code key} in {@code format}, with the base syscalls of {@code runtime}
     * added so that the runtime can start a container under it; empty when nothing is stored under it.
     *
     * @since 1.2.0
     */
    Optional<String> export(String key, ExportFormat format, ContainerRuntime runtime) throws IOException;

    /** Removes the profile of {@code key}; false when there was none. */
    boolean delete(String key) throws IOException;
}
