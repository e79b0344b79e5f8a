package org.attenuator.shell.learning.internal;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.ProfileStore;

/** Completes the keys of the learned profiles in the store now. */
@Service
public class ProfileKeyCompleter implements Completer {

    @Reference(optional = true)
    private ProfileStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        ProfileStore profiles = store;
        List<String> keys = List.of();
        if (profiles != null) {
            try {
                keys = profiles.list().stream().map(LearnedProfile::key).collect(Collectors.toList());
            } catch (IOException e) {
                // An unreadable store offers nothing: a completer must not fail.
            }
        }
        return new StringsCompleter(keys).complete(session, commandLine, candidates);
    }
}
