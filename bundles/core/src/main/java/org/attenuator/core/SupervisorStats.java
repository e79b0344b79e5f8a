package org.attenuator.core;

/**
 * Supervisor-wide counters.
 *
 * @param trees trees supervised now
 * @param treesEnded trees whose last process exited
 * @param notifications notifications received, all trees
 * @param observationsDropped observer events lost because the observer queue was full
 * @param workers event loops: threads that each receive, decide and answer notifications
 * @param syncWakeUp whether listeners run with USER_NOTIF_FD_SYNC_WAKE_UP
 */
public record SupervisorStats(int trees, long treesEnded, long notifications, long observationsDropped,
        int workers, boolean syncWakeUp) {
}
