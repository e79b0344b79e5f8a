package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.attenuator.linux.Errno;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.UnixSocket;

/**
 * Makes room for the agent socket without destroying anything that is not ours to remove: only a
 * stale socket (a socket file nobody listens on: connect gets ECONNREFUSED) is deleted. A regular
 * file, a directory, a symlink or a live agent's socket at the path is refused.
 */
final class SocketPath {

    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000;

    private SocketPath() {
    }

    /** @throws FileAlreadyExistsException naming the path and what is there, when it cannot be ours */
    static void claim(Path socket) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(socket.toString(), null, "exists and is not a socket (left as it is)");
        }
        try (UnixSocket live = UnixSocket.connect(socket.toString())) {
            throw new FileAlreadyExistsException(socket.toString(), null, "another agent is listening on it");
        } catch (NativeException e) {
            if (e.errno() != Errno.ECONNREFUSED) {
                throw new FileAlreadyExistsException(socket.toString(), null,
                        "a socket that cannot be checked (" + Errno.name(e.errno()) + "); left as it is");
            }
        }
        Files.deleteIfExists(socket); // stale: its agent is gone
    }
}
