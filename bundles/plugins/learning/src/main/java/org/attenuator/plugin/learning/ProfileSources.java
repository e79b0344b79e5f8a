package org.attenuator.plugin.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.attenuator.bpf.CompileException;
import org.attenuator.profile.BuiltinProfiles;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileSource;
import org.attenuator.profile.ProfileReader;

/**
 * What {@code profile diff} and {@code profile merge} take: {@code learned:KEY}, a KEY the store
 * holds, {@code builtin:NAME}, or a profile FILE. A bare name that is both a stored key and a file is refused rather
 * than guessed.
 *
 * @since 1.2.0
 */
public final class ProfileSources {

    public static final String LEARNED = "learned:";

    private ProfileSources() {
    }

    /**
     * The profile {@code name} names, flattened.
     *
     * @throws IllegalArgumentException one line naming the cause: neither a stored key nor a file,
     *     both, not a valid profile, or something diff and merge cannot compare
     * @throws IOException when a stored profile cannot be read (a refused file, for one)
     */
    public static ProfileRules load(ProfileStore store, String name) throws IOException {
        if (name.startsWith(LEARNED)) {
            String key = name.substring(LEARNED.length());
            LearnedProfile p = stored(store, key).orElseThrow(() -> new IllegalArgumentException(
                    "no learned profile " + key + " in " + store.directory()));
            return ProfileRules.of(p.profile(), LEARNED + p.key());
        }
        if (name.startsWith(ProfileSource.BUILTIN_PREFIX)) {
            String builtin = name.substring(ProfileSource.BUILTIN_PREFIX.length());
            Profile profile = BuiltinProfiles.named(builtin)
                    .orElseThrow(() -> new IllegalArgumentException(BuiltinProfiles.unknown(builtin)));
            return ProfileRules.of(profile, name);
        }
        Optional<LearnedProfile> stored = stored(store, name);
        boolean isFile = Files.exists(Path.of(name));
        if (stored.isPresent() && isFile) {
            throw new IllegalArgumentException(name + " is both a learned profile in " + store.directory()
                    + " and a file: write " + LEARNED + name + " or ./" + name);
        }
        if (stored.isPresent()) {
            return ProfileRules.of(stored.get().profile(), LEARNED + stored.get().key());
        }
        if (!isFile) {
            throw new IllegalArgumentException("no learned profile " + name + " in " + store.directory()
                    + " and no file " + name);
        }
        Profile profile;
        try {
            profile = ProfileReader.read(Path.of(name));
        } catch (CompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return ProfileRules.of(profile, name);
    }

    private static Optional<LearnedProfile> stored(ProfileStore store, String key) throws IOException {
        return key.isEmpty() ? Optional.empty() : store.load(key);
    }
}
