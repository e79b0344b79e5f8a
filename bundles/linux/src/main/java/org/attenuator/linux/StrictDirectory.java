package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.LinuxAbi;
import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * A directory that nobody but this process's effective uid and root can change, held open as an
 * fd, through which files are opened without following symbolic links: OpenSSH's StrictModes for
 * Attenuator's home, run, learned and log directories.
 * <p>
 * {@link #open(Path)} walks the path from {@code /} with {@code openat(O_DIRECTORY|O_NOFOLLOW)} and
 * checks every directory on the way, {@code /} included: owned by this uid or root, not writable by
 * group or others. A symbolic link on the way is followed only because the directory holding it
 * has passed that check (so only this uid or root put it there); its target is walked and checked
 * the same way. Below an open StrictDirectory nothing is followed: a link where a file or a
 * subdirectory should be is refused. Files are opened with {@code openat} relative to the
 * directory's fd, so a rename of a parent after the check does not redirect them.
 * <p>
 * Every refusal is a {@link RefusedPathException} naming the path and the reason; a failing system
 * call is a {@link NativeException} naming the call and the path.
 *
 * @since 0.3.0
 */
public final class StrictDirectory implements AutoCloseable {
    /** Mode of the directories and files this class creates. */
    public static final int PRIVATE_DIRECTORY = 0700, PRIVATE_FILE = 0600;

    private static final int O_CREAT = 0100, O_EXCL = 0200, O_APPEND = 02000;
    private static final int O_DIRECTORY = LinuxAbi.current().oDirectory, O_NOFOLLOW = LinuxAbi.current().oNofollow;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff, LOCK_EX = 2, LOCK_NB = 4, SEEK_SET = 0;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFLNK = 0120000;
    private static final int GROUP_OR_OTHER_WRITABLE = 0022, STICKY = 01000;

    /** A file's contents and when it was last modified. */
    public record Contents(byte[] bytes, Instant modified) {}

    private record Status(int mode, int uid, long size, Instant modified) {
        int type() {
            return mode & S_IFMT;
        }
    }

    private final Fd fd;
    private final Path path;
    private final int uid;

    private StrictDirectory(Fd fd, Path path, int uid) {
        this.fd = fd;
        this.path = path;
        this.uid = uid;
    }

    /** Opens an existing directory, checking it and every directory above it. */
    public static StrictDirectory open(Path path) throws IOException {
        return PathWalk.walk(path, false);
    }

    /** Like {@link #open}, creating missing directories {@link #PRIVATE_DIRECTORY} on the way. */
    public static StrictDirectory create(Path path) throws IOException {
        return PathWalk.walk(path, true);
    }

    /** The path this directory was reached by, symbolic links resolved (for messages and for bind). */
    public Path path() {
        return path;
    }

    /** The existing subdirectory {@code name}, checked; a symbolic link there is refused. */
    public StrictDirectory openDirectory(String name) throws IOException {
        return directory(name, false, true);
    }

    /** The subdirectory {@code name}, created {@link #PRIVATE_DIRECTORY} if missing, checked. */
    public StrictDirectory createDirectory(String name) throws IOException {
        return directory(name, true, true);
    }

    /**
     * The contents of the regular file {@code name}, or empty if there is none. The file must be
     * owned by this uid or root, not writable by group or others, and at most {@code maxBytes}.
     */
    public Optional<Contents> read(String name, int maxBytes) throws IOException {
        // O_NONBLOCK: a planted FIFO must not block the open; it is refused below as not a regular file
        int rc = LIBC.openat(dirFd("openat"), checkName(name), Fd.O_RDONLY | O_NOFOLLOW | Fd.O_NONBLOCK | Fd.O_CLOEXEC, 0);
        if (rc < 0 && errno() == Errno.ENOENT) {
            return Optional.empty();
        }
        try (Fd file = opened(rc, name, "openat")) {
            Status st = checkFile(name, file);
            if (st.size() > maxBytes) {
                throw new RefusedPathException(path.resolve(name), "larger than " + maxBytes + " bytes");
            }
            byte[] bytes = file.readUpTo(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new RefusedPathException(path.resolve(name), "larger than " + maxBytes + " bytes");
            }
            return Optional.of(new Contents(bytes, st.modified()));
        }
    }

    /** The regular file {@code name} opened for appending, created {@link #PRIVATE_FILE} if missing, checked. */
    public Fd append(String name) throws IOException {
        int flags = Fd.O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | Fd.O_NONBLOCK | Fd.O_CLOEXEC;
        return checked(name, LIBC.openat(dirFd("openat"), checkName(name), flags, PRIVATE_FILE));
    }

    /**
     * Holds an exclusive flock(2) on the regular file {@code name} (created {@link #PRIVATE_FILE} if
     * missing) until the returned Fd is closed.
     */
    public Fd lock(String name) throws IOException {
        return flock(name, LOCK_EX).orElseThrow();
    }

    /**
     * As {@link #lock}, but empty at once when someone holds the lock: another open file
     * description, even of this process, since flock(2) locks belong to those.
     */
    public Optional<Fd> tryLock(String name) throws IOException {
        return flock(name, LOCK_EX | LOCK_NB);
    }

    private Optional<Fd> flock(String name, int operation) throws IOException {
        int flags = Fd.O_RDWR | O_CREAT | O_NOFOLLOW | Fd.O_NONBLOCK | Fd.O_CLOEXEC;
        Fd lock = checked(name, LIBC.openat(dirFd("openat"), checkName(name), flags, PRIVATE_FILE));
        boolean held = false;
        try {
            while (LIBC.flock(lock.checkedFd("flock"), operation) != 0) {
                int e = errno();
                if (e == Errno.EAGAIN) { // EWOULDBLOCK
                    return Optional.empty();
                }
                if (e != Errno.EINTR) {
                    throw new NativeException("flock(" + path.resolve(name) + ")", e);
                }
            }
            held = true;
            return Optional.of(lock);
        } finally {
            if (!held) {
                lock.close();
            }
        }
    }

    /**
     * Replaces {@code name} with {@code bytes} so that a reader sees the old or the new file, never
     * a part: a new {@link #PRIVATE_FILE} file ({@code O_EXCL}), fsync, renameat over {@code name},
     * fsync of this directory.
     */
    public void replace(String name, byte[] bytes) throws IOException {
        checkName(name);
        String tmp = "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
        int flags = Fd.O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | Fd.O_CLOEXEC;
        boolean renamed = false;
        try {
            try (Fd file = opened(LIBC.openat(dirFd("openat"), tmp, flags, PRIVATE_FILE), tmp, "openat")) {
                file.writeFully(bytes);
                sync(file, tmp);
            }
            if (LIBC.renameat(dirFd("renameat"), tmp, dirFd("renameat"), name) != 0) {
                throw new NativeException("renameat(" + path.resolve(tmp) + ", " + name + ")", errno());
            }
            renamed = true;
            sync(fd, ".");
        } finally {
            if (!renamed) {
                LIBC.unlinkat(dirFd("unlinkat"), tmp, 0);
            }
        }
    }

    /**
     * renameat(2) of {@code from} to {@code to} inside this directory (replacing {@code to}), e.g. to
     * rotate a log; links are renamed, never followed. False if there was no {@code from}.
     */
    public boolean rename(String from, String to) throws IOException {
        if (LIBC.renameat(dirFd("renameat"), checkName(from), dirFd("renameat"), checkName(to)) == 0) {
            return true;
        }
        int e = errno();
        if (e == Errno.ENOENT) {
            return false;
        }
        throw new NativeException("renameat(" + path.resolve(from) + ", " + to + ")", e);
    }

    /** unlinkat(2) of the file {@code name}; false if there was none. */
    public boolean delete(String name) throws IOException {
        if (LIBC.unlinkat(dirFd("unlinkat"), checkName(name), 0) == 0) {
            return true;
        }
        int e = errno();
        if (e == Errno.ENOENT) {
            return false;
        }
        throw new NativeException("unlinkat(" + path.resolve(name) + ")", e);
    }

    /** rmdir of the empty subdirectory {@code name}; false if there was none. */
    public boolean deleteDirectory(String name) throws IOException {
        if (LIBC.unlinkat(dirFd("unlinkat"), checkName(name), AT_REMOVEDIR) == 0) {
            return true;
        }
        int e = errno();
        if (e == Errno.ENOENT) {
            return false;
        }
        throw new NativeException("unlinkat(" + path.resolve(name) + ", AT_REMOVEDIR)", e);
    }

    /** The names in this directory, without {@code .} and {@code ..}, in no particular order. */
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        if (LIBC.lseek(dirFd("lseek"), 0, SEEK_SET) < 0) {
            throw new NativeException("lseek(" + path + ")", errno());
        }
        int size = 32 * 1024;
        Pointer buf = Native.allocate(size);
        long n;
        while ((n = LIBC.getdents64(dirFd("getdents64"), buf.address(), size)) > 0) {
            for (int off = 0; off < n; off += buf.getShort(off + Structs.DIRENT_RECLEN) & 0xffff) {
                String name = buf.getString(off + Structs.DIRENT_NAME, 256, StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    names.add(name);
                }
            }
        }
        if (n < 0) {
            throw new NativeException("getdents64(" + path + ")", errno());
        }
        return names;
    }

    @Override
    public void close() throws NativeException {
        fd.close();
    }

    @Override
    public String toString() {
        return "StrictDirectory(" + path + ")";
    }

    static StrictDirectory root(int uid) throws IOException {
        int rc = LIBC.openat(-100 /* AT_FDCWD */, "/", Fd.O_RDONLY | O_DIRECTORY | Fd.O_CLOEXEC, 0);
        if (rc < 0) {
            throw new NativeException("open(/)", errno());
        }
        StrictDirectory root = new StrictDirectory(Fd.adopt(rc), Path.of("/"), uid);
        try {
            root.checkTrusted(root.path, root.status(root.fd, root.path));
            return root;
        } catch (IOException e) {
            root.close();
            throw e;
        }
    }

    /**
     * @param last false for a directory on the way: that one may also be root's with the sticky bit
     *     (/tmp), where nobody else can rename or remove what we own
     */
    StrictDirectory directory(String name, boolean create, boolean last) throws IOException {
        int flags = Fd.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | Fd.O_CLOEXEC;
        int rc = LIBC.openat(dirFd("openat"), checkName(name), flags, 0);
        if (rc < 0 && create && errno() == Errno.ENOENT) {
            if (LIBC.mkdirat(dirFd("mkdirat"), name, PRIVATE_DIRECTORY) != 0 && errno() != Errno.EEXIST) {
                throw new NativeException("mkdirat(" + path.resolve(name) + ")", errno());
            }
            rc = LIBC.openat(dirFd("openat"), name, flags, 0);
        }
        Fd opened = opened(rc, name, "openat");
        StrictDirectory child = new StrictDirectory(opened, path.resolve(name), uid);
        try {
            Status st = status(opened, child.path);
            if (last || st.uid() != 0 || (st.mode() & STICKY) == 0) {
                checkTrusted(child.path, st);
            }
            return child;
        } catch (IOException e) {
            child.close();
            throw e;
        }
    }

    /** The target of {@code name} if it is a symbolic link; empty if it is anything else or missing. */
    Optional<String> symlinkTarget(String name) throws IOException {
        byte[] buf = new byte[4096];
        long n = LIBC.readlinkat(dirFd("readlinkat"), checkName(name), buf, buf.length);
        if (n < 0) {
            int e = errno();
            if (e == Errno.EINVAL || e == Errno.ENOENT) {
                return Optional.empty();
            }
            throw new NativeException("readlinkat(" + path.resolve(name) + ")", e);
        }
        if (n == buf.length) {
            throw new RefusedPathException(path.resolve(name), "symbolic link target too long");
        }
        return Optional.of(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
    }

    /** An opened file, checked like {@link #read}'s. */
    private Fd checked(String name, int rc) throws IOException {
        Fd file = opened(rc, name, "openat");
        try {
            checkFile(name, file);
            return file;
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    private Status checkFile(String name, Fd file) throws IOException {
        Path p = path.resolve(name);
        Status st = status(file, p);
        if (st.type() != S_IFREG) {
            throw new RefusedPathException(p, "not a regular file");
        }
        checkTrusted(p, st);
        return st;
    }

    private void checkTrusted(Path p, Status st) throws RefusedPathException {
        if (st.uid() != uid && st.uid() != 0) {
            throw new RefusedPathException(p, "owned by uid " + Integer.toUnsignedString(st.uid()) + ", not " + uid + " or root");
        }
        if ((st.mode() & GROUP_OR_OTHER_WRITABLE) != 0) {
            throw new RefusedPathException(p, String.format("writable by group or others (mode %04o)", st.mode() & 07777));
        }
    }

    /** rc of an openat: the owned Fd, or a refusal for a link or a non-directory, or the native error. */
    private Fd opened(int rc, String name, String call) throws IOException {
        if (rc >= 0) {
            return Fd.adopt(rc);
        }
        int e = errno();
        Path p = path.resolve(name);
        if (e == Errno.ELOOP || e == Errno.ENOTDIR) {
            Status st = statAt(name);
            throw new RefusedPathException(p, st != null && st.type() == S_IFLNK ? "a symbolic link" : "not a directory");
        }
        throw new NativeException(call + "(" + p + ")", e);
    }

    private Status status(Fd file, Path p) throws NativeException {
        Status st = statx(file.checkedFd("statx"), "", AT_EMPTY_PATH);
        if (st == null) {
            throw new NativeException("statx(" + p + ")", errno());
        }
        return st;
    }

    private Status statAt(String name) throws NativeException {
        return statx(dirFd("statx"), name, AT_SYMLINK_NOFOLLOW);
    }

    private static Status statx(int dirfd, String name, int flags) {
        Pointer buf = Native.allocate(Structs.STATX_SIZEOF);
        if (LIBC.statx(dirfd, name, flags, STATX_BASIC_STATS, buf.address()) != 0) {
            return null;
        }
        Instant modified = Instant.ofEpochSecond(buf.getLong(Structs.STATX_MTIME_SEC), buf.getInt(Structs.STATX_MTIME_NSEC));
        return new Status(buf.getShort(Structs.STATX_MODE) & 0xffff, buf.getInt(Structs.STATX_UID),
                buf.getLong(Structs.STATX_SIZE), modified);
    }

    private void sync(Fd file, String name) throws NativeException {
        if (LIBC.fsync(file.checkedFd("fsync")) != 0) {
            throw new NativeException("fsync(" + path.resolve(name) + ")", errno());
        }
    }

    private int dirFd(String call) throws NativeException {
        return fd.checkedFd(call);
    }

    private String checkName(String name) throws RefusedPathException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new RefusedPathException(path.resolve(name.replace('\0', '?')), "not a single file name");
        }
        return name;
    }
}
