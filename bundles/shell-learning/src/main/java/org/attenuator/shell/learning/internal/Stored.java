package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.ProfileRules;
import org.attenuator.plugin.learning.ProfileSources;
import org.attenuator.plugin.learning.ProfileStore;

/** Reading the store with errors of one line: which key, which directory, what went wrong. */
final class Stored {

    private Stored() {
    }

    /** The profile of {@code key}; a missing one is a {@link NoSuchElementException} naming the directory. */
    static LearnedProfile load(ProfileStore store, String key) {
        try {
            return store.load(key).orElseThrow(() -> new NoSuchElementException(
                    "no learned profile " + key + " in " + store.directory() + " (see seccomp:profiles)"));
        } catch (IOException e) {
            throw failed(store, e);
        }
    }

    /** What {@code seccomp:profile diff|merge} compare: a key, {@code learned:KEY} or a profile file. */
    static ProfileRules rules(ProfileStore store, String name) {
        try {
            return ProfileSources.load(store, name);
        } catch (IOException e) {
            throw failed(store, e);
        }
    }

    static UncheckedIOException failed(ProfileStore store, IOException e) {
        return new UncheckedIOException("learned profiles in " + store.directory() + ": " + e.getMessage(), e);
    }
}
