package org.attenuator.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.attenuator.plugin.learning.ProfileDiff;
import org.attenuator.plugin.learning.ProfileMerge;
import org.attenuator.plugin.learning.ProfileRules;
import org.attenuator.plugin.learning.ProfileSources;
import org.attenuator.plugin.learning.ProfileStore;
import org.attenuator.profile.ProfileWriter;

/**
 * {@code profile diff A B} and {@code profile merge A B [-o FILE]}: A and B are each a learned KEY
 * ({@code learned:KEY} when a file of that name exists too) or a profile FILE. Exit statuses as
 * diff(1): 0 same (or merged), 1 different, 2 for any error.
 */
final class ProfileComparison {

    private final ProfileStore store;

    ProfileComparison(ProfileStore store) {
        this.store = store;
    }

    /** Prints one line per difference ({@code - removed}, {@code + added}, {@code ~ changed}); 1 if any. */
    int diff(Arguments a, Terminal terminal) throws CommandException {
        ProfileDiff diff = ProfileDiff.between(load(a.positionals().get(0)), load(a.positionals().get(1)));
        diff.lines().forEach(terminal.out()::println);
        return diff.same() ? 0 : 1;
    }

    /** Writes the union to {@code -o FILE} (or stdout); each conflict and how it was resolved goes to stderr. */
    int merge(Arguments a, Terminal terminal) throws CommandException {
        ProfileMerge merge = ProfileMerge.of(load(a.positionals().get(0)), load(a.positionals().get(1)));
        merge.conflicts().forEach(c -> terminal.err().println("attenuator profile: merge conflict: " + c));
        Optional<Path> target = a.option("--output").map(Path::of);
        String key = target.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).orElse("merged");
        String json = ProfileWriter.toJson(merge.merged().toProfile(key));
        if (target.isPresent()) {
            OutputFile.write(target.get(), json.getBytes(StandardCharsets.UTF_8));
        } else {
            terminal.out().print(json);
        }
        return 0;
    }

    private ProfileRules load(String name) throws CommandException {
        try {
            return ProfileSources.load(store, name);
        } catch (IllegalArgumentException e) {
            throw CommandException.badInput(e.getMessage());
        } catch (IOException e) {
            throw CommandException.badInput(name + ": " + e.getMessage());
        }
    }
}
