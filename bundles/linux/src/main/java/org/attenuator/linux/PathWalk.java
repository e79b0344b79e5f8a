package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Opens a {@link StrictDirectory} by walking its path from / one component at a time, each opened
 * relative to the last with O_NOFOLLOW and checked before the next: a symbolic link on the way is
 * followed by hand (its target walked from / again), so no component is ever resolved by the
 * kernel behind our back and every directory on the way passes the trust check.
 */
final class PathWalk {

    private static final int MAX_SYMLINKS = 40;

    private PathWalk() {
    }

    static StrictDirectory walk(Path requested, boolean create) throws IOException {
        if (!requested.isAbsolute()) {
            throw new RefusedPathException(requested, "not an absolute path");
        }
        int uid = LIBC.geteuid();
        Deque<String> todo = components(requested.normalize());
        StrictDirectory dir = StrictDirectory.root(uid);
        int links = 0;
        boolean ok = false;
        try {
            while (!todo.isEmpty()) {
                String name = todo.removeFirst();
                Optional<String> link = dir.symlinkTarget(name);
                if (link.isPresent()) {
                    if (++links > MAX_SYMLINKS) {
                        throw new RefusedPathException(requested, "too many symbolic links");
                    }
                    // dir.path has no links in it, so ".." in the target resolves lexically
                    Deque<String> target = components(dir.path().resolve(link.get()).normalize());
                    target.addAll(todo);
                    todo = target;
                    dir.close();
                    dir = StrictDirectory.root(uid);
                } else {
                    StrictDirectory next = dir.directory(name, create, todo.isEmpty());
                    dir.close();
                    dir = next;
                }
            }
            ok = true;
            return dir;
        } finally {
            if (!ok) {
                dir.close();
            }
        }
    }

    private static Deque<String> components(Path absolute) throws RefusedPathException {
        Deque<String> names = new ArrayDeque<>();
        for (Path p : absolute) {
            if (p.toString().equals("..")) {
                throw new RefusedPathException(absolute, "leads above /");
            }
            names.add(p.toString());
        }
        return names;
    }
}
