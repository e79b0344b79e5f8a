package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.attenuator.linux.AttenuatorPaths;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.RefusedPathException;
import org.attenuator.linux.StrictDirectory;
import org.attenuator.linux.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the keeper lives, trusted as OpenSSH's StrictModes: the socket's directory (and every
 * directory above it) owned by this uid or root and writable by nobody else, created 0700; the
 * log opened inside it relative to the directory's fd, never through a symbolic link, appended,
 * 0600; and the process answering on the socket must be this uid or root AND our keeper: the
 * one this supervisor spawned, or one running our keeper executable. Anything else is refused
 * with one line naming the path and the reason ({@link RefusedPathException}), before a single
 * byte, let alone a listener, goes to it.
 */
final class KeeperHome {

    private static final Logger LOG = LoggerFactory.getLogger(KeeperHome.class);
    /** The log is rotated when a keeper starts and it has grown past this; one old copy is kept. */
    static final long ROTATE_BYTES = 1 << 20;
    static final String LOG_FILE = "keeper.log", OLD_LOG_FILE = "keeper.log.1";

    private final FallbackSettings settings;

    KeeperHome(FallbackSettings settings) {
        this.settings = settings;
    }

    /** Connects to the keeper's socket and checks who answers; refused: closed before anything is sent. */
    KeeperConnection connect(KeeperProcess ours) throws IOException {
        try (StrictDirectory dir = StrictDirectory.open(settings.socket().getParent())) {
            LOG.trace("keeper directory {} checked", dir.path());
        } catch (NoSuchFileException e) {
            throw new NativeException("connect(" + settings.socket() + ")", org.attenuator.linux.Errno.ENOENT);
        }
        KeeperConnection k = KeeperConnection.connect(settings.socket());
        try {
            checkPeer(k.peer(), ours);
            return k;
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private void checkPeer(UnixSocket.PeerCredentials peer, KeeperProcess ours) throws IOException {
        int me = AttenuatorPaths.uid();
        if (peer.uid() != me && peer.uid() != 0) {
            throw new RefusedPathException(settings.socket(), "answered by pid " + peer.pid() + " of uid " + peer.uid()
                    + ", not uid " + me + " or root");
        }
        if (ours != null && ours.running() && peer.pid() == ours.pid()) {
            return;
        }
        Path exe = Path.of("/proc", Integer.toString(peer.pid()), "exe");
        String runs;
        try {
            if (Files.isSameFile(exe, settings.keeper())) {
                return;
            }
            runs = "runs " + Files.readSymbolicLink(exe);
        } catch (IOException e) {
            runs = "its executable cannot be read (" + e.getClass().getSimpleName() + ")";
        }
        throw new RefusedPathException(settings.socket(), "answered by pid " + peer.pid() + ", which is not our keeper: it "
                + runs + ", not " + settings.keeper());
    }

    /** Starts a keeper on the socket, its output appended to the (rotated) log in the checked directory. */
    KeeperProcess start() throws IOException {
        try (StrictDirectory dir = StrictDirectory.create(settings.socket().getParent())) {
            rotate(dir);
            try (Fd log = dir.append(LOG_FILE)) {
                KeeperProcess p = KeeperProcess.start(settings.keeper(), settings.socket(), log, settings.keeperLog());
                LOG.info("keeper: started {} (pid {}), socket {}, log {}", settings.keeper(), p.pid(), settings.socket(),
                        settings.keeperLog());
                return p;
            }
        }
    }

    /** At 1 MiB the log becomes keeper.log.1 (replacing the older one): bounded, one old copy. */
    private static void rotate(StrictDirectory dir) throws IOException {
        long size;
        try {
            // the link itself if keeper.log is one: append() refuses it rather than rotating it away
            size = Files.readAttributes(dir.path().resolve(LOG_FILE), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException e) {
            return;
        }
        if (size >= ROTATE_BYTES) {
            dir.rename(LOG_FILE, OLD_LOG_FILE);
        }
    }
}
