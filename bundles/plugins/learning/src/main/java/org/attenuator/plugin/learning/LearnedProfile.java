package org.attenuator.plugin.learning;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.profile.Profile;

/**
 * A stored learned profile: what every run under {@code key} has seen so far.
 *
 * @param key the learning key
 * @param file the OCI JSON file it is stored in
 * @param syscalls every learned syscall with the phases it was seen in ({@link Phase#INIT} only:
 *     seen only before the apply point); sorted
 * @param runs learning runs that ended under this key
 * @param runsWithoutChange runs in a row, up to the last, that added nothing
 * @param updated when the file was last written
 * @param profile the OCI profile as stored (a kernel-only filter: allow what was learned, EPERM
 *     for the rest)
 */
public record LearnedProfile(String key, Path file, Map<LearnedSyscall, Set<Phase>> syscalls, int runs,
        int runsWithoutChange, Instant updated, Profile profile) {

    public LearnedProfile {
        syscalls = Collections.unmodifiableMap(new TreeMap<>(syscalls));
    }

    /** True when {@code n} runs in a row added nothing: the profile is ready to be enforced. */
    public boolean settled(int n) {
        return runs > 0 && runsWithoutChange >= n;
    }
}
