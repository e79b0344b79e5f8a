package org.attenuator.api;

import org.osgi.annotation.versioning.ProviderType;

/** What the supervisor knows about a notification besides the event itself. */
@ProviderType
public interface HandlerContext {

    /** Where a tree with an apply point stands: before its first trigger syscall, or after it. */
    enum Phase { INIT, RUN }

    /** The tree's phase; trees without an apply point are always {@link Phase#RUN}. */
    Phase phase();

    /** What the notification gets if every handler passes: the tree's undecided action. */
    Decision undecided();
}
