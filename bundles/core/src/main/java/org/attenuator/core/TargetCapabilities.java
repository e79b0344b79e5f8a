package org.attenuator.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.attenuator.profile.Capabilities;

/**
 * The capabilities a launched target keeps, which are also the ones its profile's
 * {@code includes.caps} / {@code excludes.caps} are evaluated with, so that what a profile says
 * and what the target can do agree. The target never has more than this process: it is started
 * by this process's fork server, under NO_NEW_PRIVS.
 *
 * @since 0.3.0
 */
public final class TargetCapabilities {

    private TargetCapabilities() {
    }

    /** This process's permitted capabilities (CapPrm of /proc/self/status): the most a target can keep. */
    public static Set<String> caller() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapPrm:")) {
                    return Capabilities.ofMask(Long.parseUnsignedLong(line.substring(7).trim(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // none known: rules that need one stay out, and the target is asked to keep none
        }
        return Set.of();
    }

    /** Docker's default container capabilities, as far as this process has them: what a target keeps by default. */
    public static Set<String> defaults() {
        return of(Capabilities.DOCKER_DEFAULT);
    }

    /** {@code requested} as far as this process has them. */
    public static Set<String> of(Set<String> requested) {
        Set<String> caps = new LinkedHashSet<>(requested);
        caps.retainAll(caller());
        return Set.copyOf(caps);
    }
}
