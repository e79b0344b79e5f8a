package org.attenuator.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.TreeMap;
import org.attenuator.api.Decision;
import org.attenuator.core.spi.TreeStatus;

/** A {@link TreeStatus} as the JSON of the faces (docs/json.md); kept here so the SPI's types carry no printing. */
public final class TreeStatusJson {

    private TreeStatusJson() {
    }

    /**
     * The document {@code seccomp:tree --json} prints, and each element of {@code seccomp:trees
     * --json}: {@code id}, {@code pid}, {@code policy} (its name), {@code paused} and
     * {@code pausedWith} (the decision answered while paused, or null), {@code phase}
     * ({@code init} or {@code run}), {@code counters} and {@code properties} (sorted by name;
     * strings, numbers and booleans as they are, lists as lists, maps as objects, anything else as its text).
     */
    public static ObjectNode of(TreeStatus tree) {
        ObjectNode root = Json.object().put("id", tree.id()).put("pid", tree.pid()).put("policy", tree.policy().name())
                .put("paused", tree.pausedWith().isPresent())
                .put("pausedWith", tree.pausedWith().map(Decision::toString).orElse(null))
                .put("phase", tree.phase().name().toLowerCase(Locale.ROOT));
        root.set("counters", counters(tree.counters()));
        ObjectNode props = root.putObject("properties");
        new TreeMap<>(tree.properties()).forEach((name, value) -> props.set(name, Json.value(value)));
        return root;
    }

    /** The {@code counters} object of {@link #of}: one number per component, by its name. */
    public static ObjectNode counters(TreeStatus.Counters c) {
        return Json.object().put("notifications", c.notifications()).put("allowed", c.allowed())
                .put("responded", c.responded()).put("denied", c.denied()).put("killed", c.killed())
                .put("paused", c.paused()).put("targetGone", c.targetGone()).put("handlerFaults", c.handlerFaults())
                .put("errors", c.errors());
    }
}
