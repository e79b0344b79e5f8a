package org.attenuator.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;

/**
 * A supervised tree as it stands, with its counters; a copy taken by {@link Supervisor#trees()}.
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

        /**
         * The {@code counters} object of {@link TreeStatus#toJson()}: one number per component, by its name.
         *
         * @since 0.5.0
         */
        public ObjectNode toJson() {
            return Json.object().put("notifications", notifications).put("allowed", allowed).put("responded", responded)
                    .put("denied", denied).put("killed", killed).put("paused", paused).put("targetGone", targetGone)
                    .put("handlerFaults", handlerFaults).put("errors", errors);
        }

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

    /**
     * The document {@code seccomp:tree --json} prints, and each element of {@code seccomp:trees
     * --json}: {@code id}, {@code pid}, {@code policy} (its name), {@code paused} and
     * {@code pausedWith} (the decision answered while paused, or null), {@code phase}
     * ({@code init} or {@code run}), {@code counters} and {@code properties} (sorted by name;
     * strings, numbers and booleans as they are, lists as lists, maps as objects, anything else as its text).
     */
    public ObjectNode toJson() {
        ObjectNode root = Json.object().put("id", id).put("pid", pid).put("policy", policy.name())
                .put("paused", pausedWith.isPresent()).put("pausedWith", pausedWith.map(Decision::toString).orElse(null))
                .put("phase", phase.name().toLowerCase(Locale.ROOT));
        root.set("counters", counters.toJson());
        ObjectNode props = root.putObject("properties");
        new TreeMap<>(properties).forEach((name, value) -> props.set(name, Json.value(value)));
        return root;
    }
}
