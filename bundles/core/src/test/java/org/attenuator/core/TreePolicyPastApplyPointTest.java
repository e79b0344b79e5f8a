package org.attenuator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.core.spi.TreePolicy;
import org.junit.jupiter.api.Test;

/** A tree adopted again past its apply point gets the run decisions, never the init ones a second time. */
class TreePolicyPastApplyPointTest {

    @Test
    void initDecisionsAreNotGrantedAgain() {
        TreePolicy p = TreePolicy.builder().name("nginx").undecided(Decision.deny(1))
                .decideBeforeApplyPoint("mkdir", Decision.allow()).decide("mkdir", Decision.deny(13))
                .applyPoint("listen").build();
        TreePolicy past = p.pastApplyPoint();

        assertEquals(Decision.allow(), p.decisionFor("mkdir", Phase.INIT));
        assertEquals(Decision.deny(13), past.decisionFor("mkdir", Phase.INIT));
        assertFalse(past.hasApplyPoint());
        assertEquals("nginx", past.name());
        assertEquals(Decision.deny(1), past.decisionFor("getppid", Phase.RUN));
    }

    @Test
    void aPolicyWithoutApplyPointStaysAsItIs() {
        TreePolicy p = TreePolicy.builder().decide("mkdir", Decision.deny(13)).build();
        assertSame(p, p.pastApplyPoint());
    }
}
