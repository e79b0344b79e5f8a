package org.attenuator.core;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts programs under a seccomp filter from their first instruction ("fork, prepare, exec &
 * apply"), through attenuator-exec: the profile is compiled here, the filter installed by the
 * launcher right before its execve, and the listener taken with pidfd_getfd. One service per
 * framework.
 */
@ProviderType
public interface Launcher {

    /**
     * Starts {@code launch} and returns once the target program runs (its exec went through);
     * nothing is left behind when this throws.
     *
     * @throws LaunchException before exec, with the reason and the shell status to exit with
     */
    LaunchedProcess launch(Launch launch) throws LaunchException;
}
