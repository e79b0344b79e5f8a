package org.attenuator.plugin.learning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.profile.Errno;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/**
 * The seccomp profile a container learns under, through the OCI agent protocol: the value of
 * {@code linux.seccomp} in the bundle's config.json.
 *
 * <p>runc refuses SCMP_ACT_NOTIFY as the default action and on {@code write} (it syncs with its
 * parent through write after the filter is in). So: the runtime's base syscalls and {@code write}
 * are allowed in the kernel, every other syscall the x86_64, x86 and x32 tables know gets a NOTIFY
 * rule of its own, and the default (numbers no table knows) is ENOSYS. {@code listenerPath} names
 * the agent's socket; {@code listenerMetadata} carries {@code learn=KEY} and {@code learn.base=}
 * the allowed names, which the learning handler counts as learned for every ABI the container uses
 * (they are never notified, so it could not see them), as {@code run --learn} does with its base.
 *
 * @since 1.2.0
 */
public final class LearningTemplate {

    /** Listener metadata key: syscalls the filter allows without notifying, comma-separated. */
    public static final String BASE_METADATA = "learn.base";
    static final String NOTIFY = "SCMP_ACT_NOTIFY";
    static final List<Arch> ARCHES = List.of(Arch.X86_64, Arch.X86, Arch.X32);

    private LearningTemplate() {
    }

    /**
     * The template for learning under {@code key} in {@code runtime} through the agent listening on
     * {@code listener}.
     *
     * @throws IllegalArgumentException if {@code runtime} is NONE, or {@code key} is blank or has a line break
     */
    public static Profile forContainer(String key, ContainerRuntime runtime, Path listener) {
        if (runtime == ContainerRuntime.NONE) {
            throw new IllegalArgumentException("a learning template is for a container runtime: runc or crun");
        }
        if (key.isBlank() || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the learning key must be one line and not blank");
        }
        TreeSet<String> allowed = new TreeSet<>(runtime.baseSyscalls());
        allowed.add("write");
        TreeSet<String> notified = new TreeSet<>();
        for (Arch arch : ARCHES) {
            notified.addAll(SyscallTable.of(arch).names());
        }
        notified.removeAll(allowed);
        List<SyscallEntry> entries = new ArrayList<>();
        entries.add(new SyscallEntry(List.copyOf(allowed), null, "SCMP_ACT_ALLOW", null, List.of(),
                runtime + " base and write: the runtime calls them after the filter is in, before the agent has it",
                Filter.NONE, Filter.NONE, Map.of()));
        entries.add(new SyscallEntry(List.copyOf(notified), null, NOTIFY, null, List.of(),
                "everything else: the agent allows it and learns it", Filter.NONE, Filter.NONE, Map.of()));
        String metadata = "learn=" + key + "\n" + BASE_METADATA + "=" + String.join(",", allowed);
        return new Profile("SCMP_ACT_ERRNO", Errno.ENOSYS, ARCHES.stream().map(Arch::scmpName).toList(), List.of(),
                entries, List.of(), listener.toAbsolutePath().toString(), metadata, null, Map.of());
    }
}
