package org.attenuator.plugin.learning;

import java.util.Locale;
import java.util.Optional;

/** How {@link ProfileStore#export} writes a learned profile. */
public enum ExportFormat {
    /** The OCI / Docker seccomp profile JSON, as stored (runtimes ignore the {@code "attenuator"} key). */
    OCI,
    /**
     * A security-profiles-operator {@code SeccompProfile} resource
     * ({@code security-profiles-operator.x-k8s.io/v1}) in JSON, which {@code kubectl apply} takes as
     * it takes YAML.
     */
    SPO;

    /** {@code oci} or {@code spo}, any case. */
    public static Optional<ExportFormat> parse(String text) {
        for (ExportFormat f : values()) {
            if (f.name().equalsIgnoreCase(text)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
