package org.attenuator.core.spi;

import java.io.IOException;
import org.attenuator.api.SupervisedTree;
import org.attenuator.linux.Fd;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes a seccomp listener into supervision: what a privileged plugin needs of the supervisor to
 * give a tree back (the fallback plugin, for trees its keeper held while no supervisor ran). The
 * supervisor registers itself as this service too.
 */
@ProviderType
public interface TreeAdopter {

    /**
     * Takes ownership of a seccomp listener and supervises the tree behind it until the last process
     * of that tree exits. The listener is closed by the supervisor, also when this method fails.
     *
     * @return the new tree, whose id names it in the other methods
     * @throws IOException if the supervisor cannot register the listener
     */
    SupervisedTree adopt(Fd listener, TreeSpec spec) throws IOException;
}
