package org.attenuator.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Checks a log file before logback opens it by path, as OpenSSH's StrictModes would: every
 * directory from {@code /} down to the file's is owned by this uid or root and not writable by
 * group or others (missing ones are created 0700), and the file, if it exists, is such a regular
 * file, not a symbolic link. Once its directories are trusted, only this uid or root can change
 * what the path names, so logback's open by path (and its renames when it rolls the file over)
 * cannot be redirected.
 * <p>
 * The same rules as {@code org.attenuator.linux.StrictDirectory}, written with lstat: the launcher
 * runs before the OSGi framework, and that class (jnr-ffi) lives in a bundle. Messages match.
 */
final class TrustedLogFile {

    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFLNK = 0120000;

    private TrustedLogFile() {
    }

    /** Checks {@code file} (absolute) for {@code uid}; an IOException {@code refusing PATH: REASON} if it is unsafe. */
    static void check(Path file, int uid) throws IOException {
        Path dir = directory(file.getParent(), uid);
        Path inDir = dir.resolve(file.getFileName());
        Map<String, Object> st = lstat(inDir);
        if (st != null) {
            int type = mode(st) & S_IFMT;
            if (type == S_IFLNK) {
                throw refusing(inDir, "a symbolic link");
            }
            if (type != S_IFREG) {
                throw refusing(inDir, "not a regular file");
            }
            checkOwnerAndMode(inDir, st, uid);
        }
    }

    /** {@code dir} checked from {@code /} down, created where missing; its real path. */
    private static Path directory(Path dir, int uid) throws IOException {
        Path checked = Path.of("/");
        checkOwnerAndMode(checked, lstat(checked), uid);
        for (Path name : dir.normalize()) {
            Path next = checked.resolve(name);
            Map<String, Object> st = lstat(next);
            if (st == null) {
                Files.createDirectory(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                st = lstat(next);
            }
            if ((mode(st) & S_IFMT) == S_IFLNK) {
                // followed only because the directory holding it passed the check; its target is checked in turn
                checked = directory(next.toRealPath(), uid);
                continue;
            }
            if ((mode(st) & S_IFMT) != S_IFDIR) {
                throw refusing(next, "not a directory");
            }
            checkOwnerAndMode(next, st, uid);
            checked = next;
        }
        return checked;
    }

    private static void checkOwnerAndMode(Path p, Map<String, Object> st, int uid) throws IOException {
        int owner = (Integer) st.get("uid");
        if (owner != uid && owner != 0) {
            throw refusing(p, "owned by uid " + owner + ", not " + uid + " or root");
        }
        if ((mode(st) & 0022) != 0) {
            throw refusing(p, String.format("writable by group or others (mode %04o)", mode(st) & 07777));
        }
    }

    /** lstat's mode and uid; null when nothing is there. */
    private static Map<String, Object> lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static int mode(Map<String, Object> st) {
        return (Integer) st.get("mode");
    }

    private static IOException refusing(Path p, String reason) {
        return new IOException("refusing " + p + ": " + reason);
    }

    /** This process's uid. */
    static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
