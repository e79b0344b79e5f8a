package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Fd;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Pidfd;
import org.attenuator.linux.UnixSocket;

/**
 * The listener a supervised launch child announces on its channel, taken with pidfd_getfd, and
 * the child that holds it: the fork server's child itself, or, in a new pid namespace, that
 * child's (the reaper's) only child, the target, whose pid the announce gives as this process
 * sees it. The target's pidfd is then opened here and owned by the caller.
 */
record AnnouncedListener(ForkServer.Spawned target, NotifyListener listener) {

    private static final Pattern ANNOUNCE = Pattern.compile("attenuator-exec 1 pid=(\\d+) listener=(\\d+)\n");
    private static final String SECCOMP_LINK = "anon_inode:seccomp notify";

    /** Reads the announce line from the per-launch channel and takes the listener it names. */
    static AnnouncedListener take(UnixSocket channel, ForkServer.Spawned child, boolean ownPidNamespace, long deadline)
            throws IOException, LaunchException {
        String line = readLine(channel, child, deadline);
        Matcher m = ANNOUNCE.matcher(line);
        ForkServer.Spawned target = null;
        if (m.matches()) {
            int pid = Integer.parseInt(m.group(1));
            target = ownPidNamespace ? childOf(child, pid) : pid == child.pid() ? child : null;
        }
        if (target == null) {
            throw new LaunchException(Reason.SETUP, "unexpected announce " + line.strip());
        }
        boolean ok = false;
        try {
            AnnouncedListener taken = new AnnouncedListener(target, listenerOf(target, Integer.parseInt(m.group(2)), deadline));
            ok = true;
            return taken;
        } finally {
            if (!ok && target != child) {
                LauncherService.closeQuietly(target.pidfd());
            }
        }
    }

    private static String readLine(UnixSocket channel, ForkServer.Spawned child, long deadline)
            throws IOException, LaunchException {
        channel.setReceiveTimeout(java.time.Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        byte[] buf = new byte[128];
        int len = 0;
        while (len == 0 || buf[len - 1] != '\n') {
            int n;
            try {
                n = channel.receive(buf, len, buf.length - len, new ArrayList<>());
            } catch (NativeException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw new LaunchException(Reason.SETUP, "timed out waiting for the announce of " + LauncherService.EXEC);
                }
                throw e;
            }
            if (n == 0 || len + n == buf.length && buf[len + n - 1] != '\n') {
                throw LauncherService.exitedEarly(child, "no announce line from " + LauncherService.EXEC);
            }
            len += n;
        }
        return new String(buf, 0, len, StandardCharsets.US_ASCII);
    }

    /**
     * A pidfd of {@code pid} if it is a child of the reaper {@code reaper}, else null. The check
     * reads /proc after the pidfd is open and the pidfd is then seen alive, so the pid read about
     * is the process the pidfd refers to, not a reused one.
     */
    private static ForkServer.Spawned childOf(ForkServer.Spawned reaper, int pid) {
        Pidfd pidfd;
        try {
            pidfd = Pidfd.open(pid);
        } catch (NativeException e) {
            return null; // gone already, or never was
        }
        boolean ok = false;
        try {
            String status = Files.readString(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII);
            ok = status.contains("\nPPid:\t" + reaper.pid() + "\n");
            pidfd.sendSignal(0);
            return ok ? new ForkServer.Spawned(pid, pidfd, reaper.exit()) : null;
        } catch (IOException e) { // NativeException too: it ended meanwhile
            ok = false;
            return null;
        } finally {
            if (!ok) {
                LauncherService.closeQuietly(pidfd);
            }
        }
    }

    private static NotifyListener listenerOf(ForkServer.Spawned target, int announced, long deadline)
            throws IOException, LaunchException {
        Fd fd = null;
        while (fd == null) {
            try {
                fd = target.pidfd().getFd(announced);
            } catch (NativeException e) {
                if (e.errno() != Errno.EBADF) {
                    LauncherService.checkProgress(target, deadline, "taking the listener");
                    throw e;
                }
                LauncherService.checkProgress(target, deadline, "waiting for the listener");
                Thread.onSpinWait();
            }
        }
        boolean ok = false;
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.intValue())).toString();
            if (!link.equals(SECCOMP_LINK)) {
                throw new LaunchException(Reason.SETUP, "fd " + announced + " of the launcher is " + link
                        + ", not a seccomp listener");
            }
            ok = true;
            return NotifyListener.adopt(fd);
        } finally {
            if (!ok) {
                fd.close();
            }
        }
    }
}
