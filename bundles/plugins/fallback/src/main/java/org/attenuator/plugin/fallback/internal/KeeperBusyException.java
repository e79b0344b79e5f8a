package org.attenuator.plugin.fallback.internal;

import java.io.IOException;

/** The keeper answered HELLO with ERR busy: another supervisor is connected to it. */
final class KeeperBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    KeeperBusyException() {
        super("another supervisor is connected to the keeper (ERR busy)");
    }
}
