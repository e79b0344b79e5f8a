package org.attenuator.cli.internal;

import org.attenuator.core.spi.KeeperStatus;
import org.attenuator.linux.UnixSocket;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The fallback plugin's keeper, as the commands that need one see it. */
final class KeeperServices {

    private KeeperServices() {
    }

    /** The fallback plugin's KeeperStatus (matching that service filter, if not null), or null. */
    static KeeperStatus status(BundleContext context, String filter) {
        if (context == null) {
            return null;
        }
        try {
            for (ServiceReference<KeeperStatus> r : context.getServiceReferences(KeeperStatus.class, filter)) {
                KeeperStatus s = context.getService(r);
                if (s != null) {
                    context.ungetService(r);
                    return s;
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
        return null;
    }

    /**
     * The keeper's socket is in the home (ATTENUATOR_HOME/run/keeper*.sock): a home too long for a
     * Unix socket address leaves the process without a keeper, which refuses every tree; the
     * command ends first, with the one line of any other bad input.
     */
    static void refuseUnboundSocket(BundleContext context) throws CommandException {
        KeeperStatus status = status(context, null);
        if (status == null) {
            return;
        }
        try {
            UnixSocket.checkPath(status.report().socket().toString());
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput("keeper " + e.getMessage() + ": set a shorter ATTENUATOR_HOME");
        }
    }
}
