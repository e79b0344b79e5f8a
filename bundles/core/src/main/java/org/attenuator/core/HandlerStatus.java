package org.attenuator.core;

import java.util.Optional;
import java.util.Set;

/**
 * A registered {@link org.attenuator.api.SyscallHandler} as the supervisor sees it.
 *
 * @param serviceId its {@code service.id}
 * @param name its {@code component.name}, or its class name
 * @param ranking its {@code service.ranking}
 * @param target its {@code attenuator.target} filter, or empty for every tree
 * @param syscalls its {@code attenuator.syscalls}, or empty for every notified syscall
 * @param faults how often it threw, overran its budget or returned null (each counted as pass)
 * @param rejectedBecause why it is not in the chain (an invalid property), or empty when it is
 */
public record HandlerStatus(long serviceId, String name, int ranking, Optional<String> target,
        Set<String> syscalls, long faults, Optional<String> rejectedBecause) {
}
