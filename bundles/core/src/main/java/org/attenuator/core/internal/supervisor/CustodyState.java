package org.attenuator.core.internal.supervisor;

import org.attenuator.core.spi.ListenerCustodian;

/**
 * Where a tree stands with the {@link ListenerCustodian}: {@link Mark#UNREPORTED} (no custodian
 * bound yet, no copy of its listener could be made, or the custodian left), {@link ReportedTo} one
 * custodian, or {@link Mark#FINISHED} (the tree ended, or its supervisor stopped: no custodian hears
 * of it again). A tree's state changes only by compare-and-set of these instances ({@link Custody}),
 * which compares identities: each report makes a {@link ReportedTo} of its own.
 */
sealed interface CustodyState permits CustodyState.Mark, CustodyState.ReportedTo {

    /** The states without a custodian. */
    enum Mark implements CustodyState {
        UNREPORTED, FINISHED
    }

    /** Reported to {@code custodian}, which holds a copy of the tree's listener. */
    record ReportedTo(ListenerCustodian custodian) implements CustodyState {
    }

    /** Whether this state is a report to {@code c}. */
    default boolean isReportedTo(ListenerCustodian c) {
        return this instanceof ReportedTo r && r.custodian() == c;
    }
}
