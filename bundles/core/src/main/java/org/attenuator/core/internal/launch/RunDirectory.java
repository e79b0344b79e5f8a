package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where the fork server's private directory (its socket, {@code serve.sock}) goes. A socket path must
 * fit {@code sun_path} (107 bytes and a NUL), so the base is short and never derived from an
 * install directory ({@code java.io.tmpdir} in Karaf is {@code data/tmp} under the install):
 * <ol>
 *   <li>{@code $XDG_RUNTIME_DIR/attenuator} when that variable names an absolute directory (a user
 *       session's private tmpfs, {@code /run/user/UID});</li>
 *   <li>{@code /run/attenuator} as root;</li>
 *   <li>{@code /tmp/attenuator-UID} otherwise.</li>
 * </ol>
 * The base is created 0700; an existing one must be a directory (not a link) owned by this uid,
 * and is tightened to 0700 if it is looser, so nobody else can replace a socket in it.
 */
final class RunDirectory {

    /** Longest base that still leaves room for {@code /attenuator-launch-NNNNNNNNNNNNNNNNNNN/serve.sock}. */
    static final int MAX_BASE_LENGTH = 107 - "/attenuator-launch-9223372036854775807/serve.sock".length();
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private RunDirectory() {
    }

    static Path base(Map<String, String> env, int uid) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && xdg.startsWith("/") && Files.isDirectory(Path.of(xdg))) {
            Path candidate = Path.of(xdg, "attenuator");
            if (candidate.toString().length() <= MAX_BASE_LENGTH) {
                return candidate;
            }
        }
        return uid == 0 ? Path.of("/run/attenuator") : Path.of("/tmp/attenuator-" + uid);
    }

    /** This process's real uid, from {@code /proc/self}. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    /**
     * Creates {@code base} 0700, or checks an existing one (a directory, not a link, owned by this
     * uid; tightened to 0700).
     *
     * @return {@code base}
     * @throws IOException naming the path and what is wrong with it
     */
    static Path ensurePrivate(Path base) throws IOException {
        if (base.toString().length() > MAX_BASE_LENGTH) {
            throw new IOException("run directory " + base + " is too long for a socket path (at most "
                    + MAX_BASE_LENGTH + " bytes)");
        }
        if (base.getParent() != null) {
            Files.createDirectories(base.getParent());
        }
        try {
            Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("run directory " + base + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(base, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = uid();
        if (owner != me) {
            throw new IOException("run directory " + base + " belongs to uid " + owner + ", not to uid " + me);
        }
        if (!Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
            Files.setPosixFilePermissions(base, PRIVATE);
        }
        return base;
    }
}
