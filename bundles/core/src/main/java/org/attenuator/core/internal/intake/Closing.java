package org.attenuator.core.internal.intake;

import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing an fd a peer sent, or our end of its connection, where a failure changes nothing. */
final class Closing {

    private static final Logger LOG = LoggerFactory.getLogger(Closing.class);

    private Closing() {
    }

    static void quietly(Fd fd) {
        try {
            fd.close();
        } catch (NativeException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
