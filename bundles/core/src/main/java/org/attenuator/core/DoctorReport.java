package org.attenuator.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Doctor#examine()} found.
 *
 * @param arch this machine's seccomp architecture ({@code x86_64}, {@code aarch64}, ...)
 * @param kernelRelease the running kernel, as {@code uname -r} (and /proc/sys/kernel/osrelease) give it
 * @param checks every item probed, in display order
 * @param supervisionPossible whether Attenuator can supervise programs here
 * @param verdict one line: what works, or the reason supervision is not possible
 */
public record DoctorReport(String arch, String kernelRelease, List<Check> checks, boolean supervisionPossible, String verdict) {

    /** How an item came out. */
    public enum Status {
        /** Available. */
        YES,
        /** Not available; {@link Check#required()} says whether supervision needs it. */
        NO,
        /** A fact, not a feature (the arch, the kernel version). */
        INFO
    }

    /**
     * One probed item.
     *
     * @param name short name, for example {@code "USER_NOTIF"}
     * @param status the outcome
     * @param required whether supervision is impossible without it
     * @param detail what was seen, for example the errno of a failed probe or the kernel version
     */
    public record Check(String name, Status status, boolean required, String detail) {

        /** The AVAILABLE column every face prints: {@code yes}, {@code no}, {@code NO (required)}, or empty for facts. */
        public String availability() {
            return switch (status) {
                case YES -> "yes";
                case NO -> required ? "NO (required)" : "no";
                case INFO -> "";
            };
        }
    }

    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /**
     * The {@code doctor --json} document: {@code arch}, {@code kernelRelease},
     * {@code supervisionPossible}, {@code verdict}, and {@code checks} with each check's
     * {@code name}, {@code status} ({@code yes}, {@code no} or {@code info}), {@code required}
     * and {@code detail}.
     *
     * @since 0.5.0
     */
    public ObjectNode toJson() {
        ObjectNode root = Json.object().put("arch", arch).put("kernelRelease", kernelRelease)
                .put("supervisionPossible", supervisionPossible).put("verdict", verdict);
        ArrayNode list = root.putArray("checks");
        for (Check check : checks) {
            list.addObject().put("name", check.name()).put("status", check.status().name().toLowerCase(Locale.ROOT))
                    .put("required", check.required()).put("detail", check.detail());
        }
        return root;
    }
}
