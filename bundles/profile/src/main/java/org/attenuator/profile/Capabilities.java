package org.attenuator.profile;

import java.util.LinkedHashSet;
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
}
