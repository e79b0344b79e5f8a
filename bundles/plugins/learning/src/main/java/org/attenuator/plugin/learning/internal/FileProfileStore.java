package org.attenuator.plugin.learning.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.CompileException;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.StrictDirectory;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.MergeResult;
import org.attenuator.plugin.learning.ProfileStore;
import org.attenuator.profile.Profile;
import org.attenuator.profile.ProfileReader;
import org.attenuator.profile.ProfileWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ProfileStore} over {@code HOME/learned}. Every access goes through a
 * {@link StrictDirectory}: the directory and all above it must be owned by this uid or root and
 * not writable by group or others, and a profile must be such a regular file too (no symbolic
 * link, at most {@value #MAX_PROFILE_BYTES} bytes), so nobody else can plant a profile that
 * would be enforced. A refused file is one {@link org.attenuator.linux.RefusedPathException}.
 */
@Component(service = ProfileStore.class, configurationPid = FileProfileStore.PID)
@Designate(ocd = FileProfileStore.Config.class)
public final class FileProfileStore implements ProfileStore {

    public static final String PID = "org.attenuator.plugin.learning.store";

    @ObjectClassDefinition(name = "Attenuator learned profiles",
            description = "Where learned profiles are stored: HOME/learned/KEY.json")
    public @interface Config {
        @AttributeDefinition(name = "Home directory", description = "Attenuator's home directory. Empty: "
                + "$ATTENUATOR_HOME, else /var/lib/attenuator as root, else ~/.local/state/attenuator")
        String home() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileProfileStore.class);
    /** A learned profile lists a few hundred syscalls at most; a bigger file was not written by us. */
    static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;

    private final Path directory;

    @Activate
    public FileProfileStore(Config config) {
        this(config.home().isBlank() ? AttenuatorPaths.home() : Path.of(config.home().strip()));
    }

    /** A store under {@code home} (its {@code learned} subdirectory is created on the first write). */
    public FileProfileStore(Path home) {
        this.directory = home.resolve("learned").toAbsolutePath().normalize();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path fileOf(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a learning key must not be empty");
        }
        return directory.resolve(FileNames.of(key));
    }

    @Override
    public List<LearnedProfile> list() throws IOException {
        List<LearnedProfile> result = new ArrayList<>();
        try (StrictDirectory dir = existing()) {
            if (dir == null) {
                return result;
            }
            for (String name : dir.list()) {
                if (name.startsWith(".") || !name.endsWith(".json")) {
                    continue;
                }
                try {
                    read(dir, name, null).ifPresent(result::add);
                } catch (IOException e) {
                    LOG.warn("skipping learned profile {}: {}", name, e.getMessage());
                }
            }
        }
        result.sort(Comparator.comparing(LearnedProfile::key));
        return result;
    }

    @Override
    public Optional<LearnedProfile> load(String key) throws IOException {
        String byKey = fileOf(key).getFileName().toString();
        try (StrictDirectory dir = existing()) {
            if (dir == null) {
                return Optional.empty();
            }
            Optional<LearnedProfile> found = read(dir, byKey, key);
            if (found.isPresent() || key.contains("/")) {
                return found;
            }
            String name = key.endsWith(".json") ? key : key + ".json";
            return name.startsWith(".") ? Optional.empty() : read(dir, name, null);
        }
    }

    @Override
    public MergeResult merge(String key, Map<LearnedSyscall, Set<Phase>> seen) throws IOException {
        return update(key, seen, false, false);
    }

    @Override
    public MergeResult endRun(String key, Map<LearnedSyscall, Set<Phase>> seen, boolean changedEarlier)
            throws IOException {
        return update(key, seen, true, changedEarlier);
    }

    @Override
    public Optional<String> export(String key, ExportFormat format, ContainerRuntime runtime) throws IOException {
        return load(key).map(p -> format == ExportFormat.SPO ? SpoExport.toJson(p, runtime)
                : ProfileWriter.toJson(RuntimeBase.addTo(p.profile(), runtime)));
    }

    @Override
    public boolean delete(String key) throws IOException {
        String name = fileOf(key).getFileName().toString();
        try (StrictDirectory dir = existing()) {
            if (dir == null) {
                return false;
            }
            try (Fd lock = dir.lock(lockName(name))) {
                return dir.delete(name);
            }
        }
    }

    private MergeResult update(String key, Map<LearnedSyscall, Set<Phase>> seen, boolean endOfRun,
            boolean changedEarlier) throws IOException {
        Path file = fileOf(key);
        String name = file.getFileName().toString();
        try (StrictDirectory dir = StrictDirectory.create(directory); Fd lock = dir.lock(lockName(name))) {
            Optional<LearnedProfile> old = read(dir, name, key);
            Map<LearnedSyscall, Set<Phase>> merged = new TreeMap<>();
            old.ifPresent(p -> p.syscalls().forEach((s, ph) -> merged.put(s, EnumSet.copyOf(ph))));
            Map<String, Boolean> initOnlyBefore = initOnlyNames(merged);
            List<LearnedSyscall> added = new ArrayList<>();
            seen.forEach((s, phases) -> {
                Set<Phase> ph = phases.isEmpty() ? EnumSet.of(Phase.RUN) : EnumSet.copyOf(phases);
                Set<Phase> before = merged.get(s);
                if (before == null) {
                    added.add(s);
                    merged.put(s, ph);
                } else {
                    before.addAll(ph);
                }
            });
            added.sort(null);
            boolean changed = !added.isEmpty() || !initOnlyBefore.equals(initOnlyNames(merged));
            int runs = old.map(LearnedProfile::runs).orElse(0);
            int quiet = old.map(LearnedProfile::runsWithoutChange).orElse(0);
            if (endOfRun) {
                runs++;
                quiet = changed || changedEarlier ? 0 : quiet + 1;
            } else if (changed) {
                quiet = 0;
            }
            if (!changed && !endOfRun && old.isPresent()) {
                return new MergeResult(old.get(), added, false);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Profile profile = ProfileCodec.toProfile(key, merged, runs, quiet, now);
            dir.replace(name, ProfileWriter.toJson(profile).getBytes(StandardCharsets.UTF_8));
            return new MergeResult(new LearnedProfile(key, file, merged, runs, quiet, now, profile), added, changed);
        }
    }

    private static Map<String, Boolean> initOnlyNames(Map<LearnedSyscall, Set<Phase>> syscalls) {
        Map<String, Boolean> result = new TreeMap<>();
        syscalls.forEach((s, ph) -> result.merge(s.arch() + "/" + s.name(), !ph.contains(Phase.RUN),
                Boolean::logicalAnd));
        return result;
    }

    /** The profile in {@code dir/name}, checked by {@link StrictDirectory#read}; empty if there is none. */
    private Optional<LearnedProfile> read(StrictDirectory dir, String name, String key) throws IOException {
        Optional<StrictDirectory.Contents> contents = dir.read(name, MAX_PROFILE_BYTES);
        if (contents.isEmpty()) {
            return Optional.empty();
        }
        Path file = directory.resolve(name);
        Profile profile;
        try {
            profile = ProfileReader.parse(new String(contents.get().bytes(), StandardCharsets.UTF_8), file.toString());
        } catch (CompileException e) {
            throw new IOException(e.getMessage(), e);
        }
        String fallback = key != null ? key : name.replaceFirst("\\.json$", "");
        return Optional.of(ProfileCodec.fromProfile(profile, file, fallback, contents.get().modified()));
    }

    /** The checked directory, or null when it does not exist yet (nothing learned). */
    private StrictDirectory existing() throws IOException {
        try {
            return StrictDirectory.open(directory);
        } catch (NativeException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /** {@code .NAME.lock}: the sidecar whose flock serializes writers of one key, in any process. */
    private static String lockName(String name) {
        return "." + name.replaceFirst("\\.json$", "") + ".lock";
    }

    @Override
    public String toString() {
        return "FileProfileStore[" + directory + "]";
    }
}
