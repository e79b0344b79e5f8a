package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.profile.ProfileFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tree policy a peer's metadata asks for, from places the agent's administrator chose only:
 * <ul>
 * <li>{@code profileText=BASE64}: the profile's text itself (what {@code run --agent} sends for
 *     the user's own file, wherever it lies); {@code profile=NAME} then only names it;</li>
 * <li>{@code profile=NAME}: a name the policy source knows (a built-in such as
 *     {@code docker-default}), else {@code NAME} or {@code NAME.json} in a profile directory;</li>
 * <li>{@code profile=/ABSOLUTE/PATH}: only inside a profile directory (also after symlinks).</li>
 * </ul>
 * A file is read only as a regular file of at most {@link ProfileFiles#MAX_BYTES}, under a
 * timeout; an error names the file and the reason, never its content. Anything else gets the
 * default policy and one warning.
 */
final class ProfileResolver {

    static final String PROFILE_KEY = TreeProperties.PROFILE_KEY, TEXT_KEY = "profileText";
    private static final Logger LOG = LoggerFactory.getLogger(ProfileResolver.class);

    /**
     * @param policy the tree's policy
     * @param reference what {@code tree.profile} should say: the profile's name, or the file it
     *     was read from (a trusted path, which a tree handed back by the keeper is resolved by again)
     */
    record Resolved(TreePolicy policy, Optional<String> reference) {
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private final ExecutorService reads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "attenuator-intake-profile");
        t.setDaemon(true);
        return t;
    });
    private final List<Path> dirs;
    private final Supplier<Optional<PolicySource>> source;

    ProfileResolver(List<Path> dirs, Supplier<Optional<PolicySource>> source) {
        this.dirs = List.copyOf(dirs);
        this.source = source;
    }

    /** @throws MalformedMessageException if the named or sent profile exists but is invalid */
    Resolved resolve(Map<String, String> metadata, List<String> applyPoint) throws MalformedMessageException {
        try {
            return resolveOrFail(metadata, applyPoint);
        } catch (IllegalArgumentException e) { // the source's one line: name, line, field
            throw new MalformedMessageException("profile " + e.getMessage());
        }
    }

    private Resolved resolveOrFail(Map<String, String> metadata, List<String> applyPoint) throws MalformedMessageException {
        String profile = metadata.get(PROFILE_KEY);
        String text = metadata.get(TEXT_KEY);
        if (text != null) {
            String name = profile == null || profile.isBlank() ? "sent" : profile;
            return new Resolved(fromText(name, decode(text), applyPoint), asLabel(name));
        }
        if (profile == null) {
            return new Resolved(withApplyPoint(TreePolicy.DEFAULT, applyPoint), Optional.empty());
        }
        if (!profile.contains("/")) {
            Optional<TreePolicy> known = source.get().flatMap(s -> s.policyFor(profile, applyPoint));
            if (known.isPresent()) {
                return new Resolved(known.get(), Optional.of(profile));
            }
        }
        Optional<Path> file = findFile(profile);
        if (file.isEmpty()) {
            LOG.warn("no profile {} (not a known name, and no such file in the agent's profile directories {}): the tree"
                    + " gets the default policy, its notified calls {} unless a handler decides", profile, dirs,
                    TreePolicy.DEFAULT.undecided());
            return new Resolved(withApplyPoint(TreePolicy.DEFAULT, applyPoint), asLabel(profile));
        }
        String content = readWithin(file.get());
        return new Resolved(fromText(file.get().toString(), content, applyPoint), Optional.of(file.get().toString()));
    }

    /** The file {@code profile} names inside a profile directory, symlinks resolved, if there is one. */
    private Optional<Path> findFile(String profile) {
        if (profile.contains("/")) {
            Path path = Path.of(profile);
            return path.isAbsolute() ? inside(path.normalize()) : Optional.empty();
        }
        if (profile.equals(".") || profile.equals("..") || profile.isBlank()) {
            return Optional.empty();
        }
        for (Path dir : dirs) {
            for (String name : List.of(profile, profile + ".json")) {
                Optional<Path> found = inside(dir.resolve(name));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code path} with symlinks resolved, if it exists and lies in a profile directory. */
    private Optional<Path> inside(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path dir : dirs) {
            try {
                if (real.startsWith(dir.toRealPath())) {
                    return Optional.of(real);
                }
            } catch (IOException e) {
                LOG.debug("profile directory {}: {}", dir, e.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * The file's text, read on a thread of its own: a file that never answers (a hung network or
     * FUSE mount) costs that thread, not the intake.
     */
    private String readWithin(Path file) throws MalformedMessageException {
        Future<String> text = reads.submit(() -> ProfileFiles.read(file));
        try {
            return text.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new MalformedMessageException("profile " + e.getCause().getMessage()); // PATH: reason
        } catch (TimeoutException e) {
            text.cancel(true);
            throw new MalformedMessageException("profile " + file + ": not read within " + READ_TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MalformedMessageException("profile " + file + ": interrupted");
        }
    }

    /** A name as {@code tree.profile}, for handlers to target; never a path that was not resolved. */
    private static Optional<String> asLabel(String name) {
        return name.contains("/") ? Optional.empty() : Optional.of(name);
    }

    private TreePolicy fromText(String name, String text, List<String> applyPoint) throws MalformedMessageException {
        Optional<TreePolicy> policy = source.get().flatMap(s -> s.policyForText(name, text, applyPoint));
        if (policy.isEmpty()) {
            LOG.warn("profile {}: no policy source reads profile text: the tree gets the default policy", name);
            return withApplyPoint(TreePolicy.DEFAULT, applyPoint);
        }
        return policy.get();
    }

    private static String decode(String base64) throws MalformedMessageException {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(TEXT_KEY + " is not base64");
        }
    }

    private static TreePolicy withApplyPoint(TreePolicy policy, List<String> applyPoint) {
        return applyPoint.isEmpty() ? policy : policy.toBuilder().applyPoint(applyPoint.toArray(String[]::new)).build();
    }
}
