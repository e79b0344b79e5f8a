package org.attenuator.plugin.learning;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.internal.ProfileFlattener;
import org.attenuator.profile.Errno;
import org.attenuator.profile.Profile;

/**
 * A seccomp profile as {@code profile diff} and {@code profile merge} see it: its default action and,
 * per syscall, ABI and set of argument conditions, the action it gets and the phases it was learned
 * in. Learned profiles and plain OCI allow-lists flatten to this; see {@link #of}.
 *
 * @param source where it came from, for messages ({@code learned:KEY} or a file name)
 * @param defaultAction what every other syscall gets
 * @param architectures the ABIs as {@link LearnedSyscall#arch()} names them, sorted
 * @param syscalls every entry, sorted
 * @since 1.2.0
 */
public record ProfileRules(String source, Verdict defaultAction, List<String> architectures,
        Map<LearnedSyscall, Verdict> syscalls) {

    public ProfileRules {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(defaultAction, "defaultAction");
        architectures = architectures.stream().sorted().distinct().toList();
        syscalls = Collections.unmodifiableMap(new TreeMap<>(syscalls));
    }

    /**
     * An action ({@code SCMP_ACT_ALLOW}, {@code SCMP_ACT_ERRNO} with its errno...) and, for an allowed
     * learned syscall, the phases it was seen in (only {@link Phase#INIT}: init-only).
     */
    public record Verdict(String action, Integer errnoRet, Set<Phase> phases) {

        public static final String ALLOW = "SCMP_ACT_ALLOW";
        static final String ERRNO = "SCMP_ACT_ERRNO";
        static final String TRACE = "SCMP_ACT_TRACE";

        public Verdict {
            Objects.requireNonNull(action, "action");
            if (errnoRet == null && (ERRNO.equals(action) || TRACE.equals(action))) {
                errnoRet = Errno.EPERM; // what runc and our resolver give them when the profile names none
            }
            phases = phases.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(phases));
        }

        public static Verdict allow(Set<Phase> phases) {
            return new Verdict(ALLOW, null, phases);
        }

        public boolean allows() {
            return ALLOW.equals(action);
        }

        public boolean initOnly() {
            return !phases.isEmpty() && !phases.contains(Phase.RUN);
        }

        /** The same action: name and errno. */
        public boolean sameAction(Verdict o) {
            return action.equals(o.action) && Objects.equals(errnoRet, o.errnoRet);
        }

        /** {@code SCMP_ACT_ALLOW} or {@code SCMP_ACT_ERRNO(1)}. */
        public String actionText() {
            return errnoRet == null ? action : action + "(" + errnoRet + ")";
        }
    }

    /**
     * Flattens {@code profile}: every entry, per name, ABI ({@code includes.arches} or the profile's
     * architectures) and argument conditions (conditions on one argument index split, as runc ORs
     * them).
     *
     * @throws IllegalArgumentException naming {@code source} and the entry for what cannot be
     *     compared: conditions on capabilities or kernel versions, comparisons other than EQ and
     *     MASKED_EQ
     */
    public static ProfileRules of(Profile profile, String source) {
        return ProfileFlattener.flatten(profile, source);
    }

    /** This as an OCI profile: learned-profile layout for the allowed entries, under {@code key}. */
    public Profile toProfile(String key) {
        return ProfileFlattener.unflatten(this, key);
    }
}
