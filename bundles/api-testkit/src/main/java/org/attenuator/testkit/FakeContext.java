package org.attenuator.testkit;

import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;

/** What the supervisor tells a handler besides the event: the tree's phase and its undecided answer. */
public record FakeContext(Phase phase, Decision undecided) implements HandlerContext {

    /** EPERM: the undecided answer of a policy that says nothing else. */
    private static final int EPERM = 1;

    /** The run phase (after the apply point, or a tree without one), undecided calls denied with EPERM. */
    public static FakeContext run() {
        return new FakeContext(Phase.RUN, Decision.deny(EPERM));
    }

    /** The init phase (before the apply point), undecided calls denied with EPERM. */
    public static FakeContext init() {
        return new FakeContext(Phase.INIT, Decision.deny(EPERM));
    }
}
