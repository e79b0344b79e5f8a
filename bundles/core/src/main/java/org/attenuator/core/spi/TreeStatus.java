package org.attenuator.core.spi;

import java.util.Map;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;

/**
 * A supervised tree as it stands, with its counters; a copy taken by {@link org.attenuator.core.Supervisor#trees()}.
 *
 * @param id the tree's id, e.g. {@code "t1"}
 * @param pid the process that installed the filter
 * @param properties the tree's properties (see {@link org.attenuator.api.SupervisedTree})
 * @param policy the policy in force
 * @param pausedWith the decision answered while the tree (or the whole supervisor) is paused
 * @param phase the apply-point phase
 * @param counters what happened so far
 */
public record TreeStatus(String id, long pid, Map<String, Object> properties, TreePolicy policy,
        Optional<Decision> pausedWith, Phase phase, Counters counters) {

    /**
     * @param notifications notifications received
     * @param allowed answered CONTINUE (the launcher's exec included)
     * @param responded answered with a value
     * @param denied answered with an errno
     * @param killed caller killed
     * @param paused answered while paused, without the handlers
     * @param targetGone notifications whose target went away before the answer (quiet ENOENT)
     * @param handlerFaults handlers that threw, overran their budget or returned null here
     * @param errors unexpected failures (an ioctl error other than ENOENT)
     */
    public record Counters(long notifications, long allowed, long responded, long denied, long killed,
            long paused, long targetGone, long handlerFaults, long errors) {

        /** How many answers of {@code kind} were sent. */
        public long answered(Decision.Kind kind) {
            return switch (kind) {
                case ALLOW -> allowed;
                case RESPOND -> responded;
                case DENY -> denied;
                case KILL -> killed;
                case PASS -> 0;
            };
        }
    }
}
