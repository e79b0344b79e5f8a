package org.attenuator.core.internal.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attenuator.linux.Fd;

/**
 * Whether an fd a peer sent as {@code seccompFd} really is a seccomp notification listener: the
 * kernel names the file of every listener {@code anon_inode:seccomp notify}, and nothing else can
 * take that name. Checked before the fd is adopted, so no ioctl of ours ever reaches a peer's
 * pipe, device or file.
 */
final class ListenerCheck {

    static final String LISTENER_LINK = "anon_inode:seccomp notify";

    private ListenerCheck() {
    }

    /** @throws MalformedMessageException naming what the fd is instead */
    static void requireListener(Fd fd) throws MalformedMessageException {
        String link;
        try {
            link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.intValue())).toString();
        } catch (IOException e) {
            throw new MalformedMessageException("seccompFd cannot be checked: " + e.getMessage());
        }
        if (!link.equals(LISTENER_LINK)) {
            throw new MalformedMessageException("seccompFd is not a seccomp listener but " + kind(link));
        }
    }

    /** The kind of file, without the name a peer's regular file has. */
    private static String kind(String link) {
        if (link.startsWith("/")) {
            return "a file";
        }
        return link.replaceFirst("^(\\w+):\\[\\d+\\]$", "a $1"); // pipe:[123] -> a pipe; anon_inode:[eventfd] stays
    }
}
