package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.attenuator.core.spi.TreePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree whose profile's denials were routed through the supervisor (deny-log) is handed back
 * marked so, and a new supervisor does not take it back with the bare policy (its denied calls would
 * then reach the handlers, or the default policy): the rebuild fails, and the tree stays with the
 * keeper, whose table answers those denials with the profile's own answers.
 */
class HandedBackRoutedDenialsTest {

    @TempDir
    Path home;

    @Test
    void aTreeWithRoutedDenialsIsNotRebuiltWithoutThem() {
        Map<String, Object> props = TreeMeta.decode(TreeMeta.encode("default", null, true, Map.of("source", "launch")));
        Object policy = props.remove(TreeMeta.POLICY);
        boolean routed = Boolean.TRUE.equals(props.remove(TreeMeta.ROUTED_DENIALS));
        assertTrue(routed, "the mark travels through the keeper's metadata: " + props);
        HandedBackPolicy handedBack = new HandedBackPolicy(new ProfileStash(home), () -> null);
        IOException e = assertThrows(IOException.class, () -> handedBack.rebuild("s1.t1", props, policy, null, routed));
        assertTrue(e.getMessage().contains("routed through the supervisor"), e.getMessage());
    }

    @Test
    void aTreeWithoutRoutedDenialsGetsItsPolicyBack() throws Exception {
        Map<String, Object> props = TreeMeta.decode(TreeMeta.encode("default", null, false, Map.of("source", "launch")));
        Object policy = props.remove(TreeMeta.POLICY);
        assertEquals(null, props.remove(TreeMeta.ROUTED_DENIALS));
        HandedBackPolicy handedBack = new HandedBackPolicy(new ProfileStash(home), () -> null);
        assertEquals(TreePolicy.DEFAULT.pastApplyPoint().name(), handedBack.rebuild("s1.t2", props, policy, null, false).name());
    }
}
