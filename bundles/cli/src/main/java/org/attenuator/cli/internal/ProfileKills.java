package org.attenuator.cli.internal;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.attenuator.api.DecidedBy;
import org.attenuator.api.Decision;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.SyscallObserver;

/**
 * The call a kill rule of the profile killed a tree for, when the supervisor made that kill (the
 * deny-log routes the profile's denials through it): the kernel log has no record of such a kill,
 * so {@code run} learns the call here to name it, as {@link SigsysReport} does from the kernel's.
 */
final class ProfileKills implements SyscallObserver {

    private final Map<String, CompletableFuture<String>> byTree = new ConcurrentHashMap<>();

    @Override
    public Set<Decision.Kind> answeredKinds() {
        return EnumSet.of(Decision.Kind.KILL);
    }

    @Override
    public void answered(SyscallEvent event, Decision decision, String decidedBy) {
        if (decision.kind() == Decision.Kind.KILL && DecidedBy.PROFILE.equals(decidedBy)) {
            future(event.tree().id()).complete(event.syscall().name() + " on " + event.syscall().arch());
        }
    }

    /** {@code "uname on x86_64"} if the supervisor killed tree {@code treeId} for a kill rule, waiting up to {@code millis}. */
    Optional<String> killedFor(String treeId, long millis) {
        try {
            return Optional.of(future(treeId).get(millis, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private CompletableFuture<String> future(String treeId) {
        return byTree.computeIfAbsent(treeId, k -> new CompletableFuture<>());
    }
}
