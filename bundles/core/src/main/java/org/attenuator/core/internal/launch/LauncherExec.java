package org.attenuator.core.internal.launch;

import java.io.IOException;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.core.spi.ListenerCustodian;
import org.attenuator.linux.Epoll;
import org.attenuator.linux.Errno;
import org.attenuator.linux.Notification;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.Seccomp;

/**
 * The launcher's own exec when this process answers it (kernel-only and agent launches): it must
 * be the listener's first notification, from the child's pid, for execve or execveat of this
 * machine's ABI. In a kernel-only launch the keeper gets the listener before the exec goes through.
 */
final class LauncherExec {

    private LauncherExec() {
    }

    /** Receives the launcher's exec (refused with EPERM, and the launch failed, if it is anything else). */
    static Notification receive(NotifyListener listener, ForkServer.Spawned child, long deadline)
            throws IOException, LaunchException {
        try (Epoll epoll = Epoll.create()) {
            epoll.add(listener, Epoll.IN, 0);
            Epoll.Events events = new Epoll.Events(1);
            while (epoll.wait(events, 20) == 0 || (events.events(0) & Epoll.IN) == 0) {
                LauncherService.checkProgress(child, deadline, "waiting for the launcher's exec");
            }
        }
        Notification n = new Notification();
        listener.receive(n);
        Arch host = Arch.host().orElse(Arch.X86_64);
        String name = SyscallTable.of(host).name(n.nr()).orElse("#" + n.nr());
        if (n.pid() != child.pid() || n.arch() != Seccomp.nativeAuditArch() || !LaunchPlan.EXEC.contains(name)) {
            listener.sendError(n.id(), Errno.EPERM);
            throw new LaunchException(Reason.SETUP, "first notification is " + name + " from pid " + n.pid()
                    + ", not the launcher's exec");
        }
        return n;
    }

    /**
     * Kernel-only with a profile that denies execve: the exec path stays notified, and nobody in
     * this process reads the listener after the launch, so attenuator-keeper answers the target's
     * execve calls with the profile's action ({@link LaunchPlan#treePolicy()}). Called with the
     * launcher's exec received but not yet answered: the keeper holds the listener before the
     * target runs, and a launch it cannot hand over does not start (its execve would get ENOSYS).
     */
    static void handToKeeper(ListenerCustodian custodian, NotifyListener listener, ForkServer.Spawned target,
            LaunchPlan plan) throws LaunchException {
        String refused = "--kernel-only with a profile that denies execve: attenuator-keeper must answer the target's"
                + " execve calls after the launch, ";
        if (custodian == null) {
            throw new LaunchException(Reason.SETUP, refused + "and no keeper runs here (the fallback plugin is not"
                    + " installed); use a profile that allows execve, or run supervised");
        }
        try {
            custodian.keep("launch-" + target.pid(), target.pid(), plan.treePolicy(), listener);
        } catch (IOException e) {
            throw new LaunchException(Reason.SETUP, refused + "but it does not hold the listener: " + e.getMessage());
        }
    }
}
