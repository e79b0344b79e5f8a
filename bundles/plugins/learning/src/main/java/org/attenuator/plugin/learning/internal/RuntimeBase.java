package org.attenuator.plugin.learning.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/** A learned profile with a container runtime's base syscalls added, so that the runtime can start the container under it. */
final class RuntimeBase {

    private RuntimeBase() {
    }

    /**
     * {@code learned} with one more allow entry for the base syscalls of {@code runtime} it does not
     * already allow without conditions on every architecture; {@code learned} itself when there are none.
     */
    static Profile addTo(Profile learned, ContainerRuntime runtime) {
        List<String> missing = missing(learned, runtime);
        if (missing.isEmpty()) {
            return learned;
        }
        List<SyscallEntry> entries = new ArrayList<>(learned.syscalls());
        entries.add(new SyscallEntry(missing, null, ProfileCodec.ALLOW, null, List.of(), comment(runtime), Filter.NONE,
                Filter.NONE, java.util.Map.of()));
        return new Profile(learned.defaultAction(), learned.defaultErrnoRet(), learned.architectures(), learned.archMap(),
                entries, learned.flags(), learned.listenerPath(), learned.listenerMetadata(), learned.attenuator(),
                learned.otherFields());
    }

    static String comment(ContainerRuntime runtime) {
        return runtime.baseProfileName().orElse(runtime.toString())
                + ": what the runtime calls after it installs the filter, up to the container's execve";
    }

    private static List<String> missing(Profile learned, ContainerRuntime runtime) {
        Set<String> allowed = new HashSet<>();
        for (SyscallEntry e : learned.syscalls()) {
            if (ProfileCodec.ALLOW.equals(e.action()) && e.args().isEmpty() && e.includes().equals(Filter.NONE)
                    && e.excludes().equals(Filter.NONE)) {
                allowed.addAll(e.allNames());
            }
        }
        return runtime.baseSyscalls().stream().filter(n -> !allowed.contains(n)).sorted().toList();
    }
}
