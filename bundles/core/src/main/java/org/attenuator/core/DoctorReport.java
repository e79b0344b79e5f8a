package org.attenuator.core;

import java.util.List;

/**
 * What {@link Doctor#examine()} found.
 *
 * @param checks every item probed, in display order
 * @param supervisionPossible whether Attenuator can supervise programs here
 * @param verdict one line: what works, or the reason supervision is not possible
 */
public record DoctorReport(List<Check> checks, boolean supervisionPossible, String verdict) {

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
}
