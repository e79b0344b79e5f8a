package org.attenuator.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides notified syscalls. Register it as an OSGi service; the supervisor keeps every handler in
 * a chain ordered by {@code service.ranking}, highest first, and asks each in turn until one
 * decides (anything but {@link Decision#pass()}).
 *
 * <p>A handler runs while the target is blocked: keep it short, do not block, do not log
 * synchronously. A handler that throws or exceeds its time budget counts as pass and is reported.
 * A handler added, removed or re-ranked takes effect for the next notification; the one in flight
 * finishes on the chain it started with.
 */
@ConsumerType
public interface SyscallHandler {

    /**
     * Service property (String): an LDAP filter over {@link SupervisedTree#properties()}; the
     * handler sees only the trees it matches. Absent: every tree.
     */
    String TARGET = "attenuator.target";

    /**
     * Service property (String or String[]): syscall names the handler wants; it is skipped for
     * every other syscall. Absent: every notified syscall.
     */
    String SYSCALLS = "attenuator.syscalls";

    /**
     * Decides one notification.
     *
     * @param event the notified syscall, valid only during this call
     * @param context what the supervisor knows besides the event
     * @return a decision, or {@link Decision#pass()} to let the next handler decide; never null
     */
    Decision handle(SyscallEvent event, HandlerContext context);
}
