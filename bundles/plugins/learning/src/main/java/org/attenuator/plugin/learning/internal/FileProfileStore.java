package org.attenuator.plugin.learning.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.bpf.CompileException;
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

/** The {@link ProfileStore} over {@code HOME/learned}. */
@Component(service = ProfileStore.class, configurationPid = FileProfileStore.PID)
@Designate(ocd = FileProfileStore.Config.class)
public final class FileProfileStore implements ProfileStore {

    public static final String PID = "org.attenuator.plugin.learning.store";

    @ObjectClassDefinition(name = "Attenuator learned profiles",
            description = "Where learned profiles are stored: HOME/learned/KEY.json")
    public @interface Config {
        @AttributeDefinition(name = "Home directory", description = "Attenuator's home directory. Empty: "
                + "$ATTENUATOR_HOME, else /var/lib/attenuator as root, else ~/.local/share/attenuator")
        String home() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileProfileStore.class);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** One lock per lock file in this JVM: a FileLock only excludes other processes. */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final Path directory;

    @Activate
    public FileProfileStore(Config config) {
        this(Home.resolve(config.home()));
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
        if (!Files.isDirectory(directory)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    read(file, null).ifPresent(result::add);
                } catch (IOException e) {
                    LOG.warn("skipping learned profile {}: {}", file, e.getMessage());
                }
            }
        }
        result.sort(Comparator.comparing(LearnedProfile::key));
        return result;
    }

    @Override
    public Optional<LearnedProfile> load(String key) throws IOException {
        Optional<LearnedProfile> byKey = read(fileOf(key), key);
        if (byKey.isPresent() || key.contains("/")) {
            return byKey;
        }
        String name = key.endsWith(".json") ? key : key + ".json";
        if (name.startsWith(".")) {
            return Optional.empty();
        }
        return read(directory.resolve(name), null);
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
    public Optional<String> export(String key, ExportFormat format) throws IOException {
        return load(key).map(p -> format == ExportFormat.SPO ? ProfileCodec.toSpo(p) : ProfileWriter.toJson(p.profile()));
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path file = fileOf(key);
        if (!Files.exists(file)) {
            return false;
        }
        return locked(file, () -> Files.deleteIfExists(file));
    }

    private MergeResult update(String key, Map<LearnedSyscall, Set<Phase>> seen, boolean endOfRun,
            boolean changedEarlier) throws IOException {
        Path file = fileOf(key);
        ensureDirectory();
        return locked(file, () -> {
            Optional<LearnedProfile> old = read(file, key);
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
            writeAtomically(file, ProfileWriter.toJson(profile));
            return new MergeResult(new LearnedProfile(key, file, merged, runs, quiet, now, profile), added, changed);
        });
    }

    private static Map<String, Boolean> initOnlyNames(Map<LearnedSyscall, Set<Phase>> syscalls) {
        Map<String, Boolean> result = new TreeMap<>();
        syscalls.forEach((s, ph) -> result.merge(s.arch() + "/" + s.name(), !ph.contains(Phase.RUN),
                Boolean::logicalAnd));
        return result;
    }

    private Optional<LearnedProfile> read(Path file, String key) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Profile profile;
        Instant modified;
        try {
            profile = ProfileReader.read(file);
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (CompileException e) {
            throw new IOException(e.getMessage(), e);
        }
        String fallback = key != null ? key : file.getFileName().toString().replaceFirst("\\.json$", "");
        return Optional.of(ProfileCodec.fromProfile(profile, file, fallback, modified));
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Files.setPosixFilePermissions(directory, DIR_MODE);
        }
    }

    /** Writes a temporary file next to {@code file}, fsyncs it, renames it over {@code file}, fsyncs the directory. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.getParent();
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", mode);
        boolean success = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("rename(" + tmp + ", " + file + ") is not atomic here", e);
            }
            success = true;
        } finally {
            if (!success) {
                Files.deleteIfExists(tmp);
            }
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of directory {} failed: {}", dir, e.toString());
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the key's lock in this JVM and a FileLock on {@code .NAME.lock}. */
    private <T> T locked(Path file, IoAction<T> action) throws IOException {
        Path lockFile = file.resolveSibling("." + file.getFileName().toString().replaceFirst("\\.json$", "") + ".lock");
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        local.lock();
        try (FileChannel ch = openLockFile(lockFile); var fileLock = ch.lock()) {
            return action.run();
        } finally {
            local.unlock();
        }
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return FileChannel.open(lockFile, options, PosixFilePermissions.asFileAttribute(FILE_MODE));
    }

    @Override
    public String toString() {
        return "FileProfileStore[" + directory + "]";
    }
}
