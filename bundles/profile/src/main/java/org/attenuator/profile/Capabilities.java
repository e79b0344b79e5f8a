package org.attenuator.profile;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Capability sets that {@code includes.caps} / {@code excludes.caps} are evaluated against. */
public final class Capabilities {

    /**
     * Docker's default container capabilities (moby oci/caps/defaults.go, the same since 20.10):
     * what a profile is resolved against unless told otherwise.
     */
    public static final Set<String> DOCKER_DEFAULT = Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /**
     * Every capability by its bit number (linux/capability.h).
     *
     * @since 0.2.0
     */
    public static final List<String> ALL = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private static final String EVERY = "ALL";

    private Capabilities() {
    }

    /** Parses {@code "sys_admin,CAP_NET_ADMIN"}: upper case, {@code CAP_} prefixed; empty text is the empty set. */
    public static Set<String> parse(String list) {
        Set<String> caps = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            String cap = part.trim().toUpperCase(Locale.ROOT);
            if (!cap.isEmpty()) {
                caps.add(cap.startsWith("CAP_") ? cap : "CAP_" + cap);
            }
        }
        return Set.copyOf(caps);
    }

    /**
     * Docker's {@code --cap-add} / {@code --cap-drop} applied to {@code base} as moby does it
     * (oci/caps TweakCapabilities): names with or without {@code CAP_}, any case; {@code ALL} in
     * the additions gives every capability but the dropped ones, {@code ALL} in the drops gives
     * only the added ones; otherwise drops first, then additions.
     *
     * @throws IllegalArgumentException naming the first unknown capability
     * @since 0.2.0
     */
    public static Set<String> tweak(Set<String> base, List<String> adds, List<String> drops) {
        Set<String> add = normalize(adds);
        Set<String> drop = normalize(drops);
        Set<String> caps = new LinkedHashSet<>();
        if (add.contains(EVERY)) {
            ALL.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
        } else if (drop.contains(EVERY)) {
            caps.addAll(add);
        } else {
            base.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
            caps.addAll(add);
        }
        return Set.copyOf(caps);
    }

    /** The bit mask of {@code caps} (bit N = capability N of {@link #ALL}); unknown names are ignored. */
    public static long mask(Set<String> caps) {
        long bits = 0;
        for (int i = 0; i < ALL.size(); i++) {
            if (caps.contains(ALL.get(i))) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    /**
     * The names of the bits set in {@code mask} that {@link #ALL} knows.
     *
     * @since 0.2.0
     */
    public static Set<String> ofMask(long mask) {
        Set<String> caps = new LinkedHashSet<>();
        for (int i = 0; i < ALL.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                caps.add(ALL.get(i));
            }
        }
        return Set.copyOf(caps);
    }

    private static Set<String> normalize(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim().toUpperCase(Locale.ROOT);
            if (name.equals(EVERY)) {
                out.add(EVERY);
                continue;
            }
            String cap = name.startsWith("CAP_") ? name : "CAP_" + name;
            if (!ALL.contains(cap)) {
                throw new IllegalArgumentException("unknown capability '" + raw.trim() + "'");
            }
            out.add(cap);
        }
        return out;
    }
}
