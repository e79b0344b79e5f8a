package org.attenuator.core.internal.intake;

/** An agent connection that cannot become a tree; the message says why, in one line. */
final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String reason) {
        super(reason);
    }
}
