package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.util.List;
import java.util.Map;

import jnr.ffi.Pointer;

import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * A child started with posix_spawnp(3), held by a {@link Pidfd}. Unlike java.lang.Process
 * nothing in the JDK reaps it, so {@link #waitFor()} (waitid on the pidfd) sees its real end,
 * and a pidfd taken right after the spawn cannot refer to a reused pid. Only the given fds reach
 * the child (as its 0, 1, 2); every other fd is closed in the child before exec.
 */
public final class ChildProcess implements AutoCloseable {
    public static final int SIGKILL = 9, SIGTERM = 15;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** glibc 2.26+. */
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private final int pid;
    private final Pidfd pidfd;
    private ExitStatus status;

    private ChildProcess(int pid, Pidfd pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /**
     * Spawns argv (argv[0] looked up in PATH) with the given environment; stdin, stdout and
     * stderr become the child's fds 0, 1, 2 (null: /dev/null for stdin, inherited otherwise).
     */
    public static ChildProcess spawn(List<String> argv, Map<String, String> env, Fd stdin, Fd stdout, Fd stderr)
            throws NativeException {
        return spawn(argv, env, stdin, stdout, stderr, false);
    }

    /**
     * As {@link #spawn(List, Map, Fd, Fd, Fd)}; with {@code newSession} the child starts in a session
     * and process group of its own (POSIX_SPAWN_SETSID), so a signal to the caller's process group
     * (a ^C at its terminal, {@code timeout}, a service manager's stop) does not reach it.
     *
     * @since 0.3.0
     */
    public static ChildProcess spawn(List<String> argv, Map<String, String> env, Fd stdin, Fd stdout, Fd stderr,
            boolean newSession) throws NativeException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        Pointer actions = Native.allocate(Structs.SPAWN_FILE_ACTIONS_SIZE);
        check(LIBC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        Pointer attr = Native.allocate(Structs.SPAWN_ATTR_SIZE);
        check(LIBC.posix_spawnattr_init(attr), "posix_spawnattr_init");
        Fd devNull = null;
        try {
            if (stdin == null) {
                devNull = Fd.open("/dev/null", Fd.O_RDONLY);
                stdin = devNull;
            }
            Fd[] std = {stdin, stdout, stderr};
            for (int i = 0; i < 3; i++) {
                if (std[i] != null) {
                    check(LIBC.posix_spawn_file_actions_adddup2(actions, std[i].checkedFd("posix_spawn"), i),
                            "posix_spawn_file_actions_adddup2");
                }
            }
            check(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
            if (newSession) {
                check(LIBC.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID), "posix_spawnattr_setflags");
            }
            int[] pid = new int[1];
            check(LIBC.posix_spawnp(pid, argv.get(0), actions, attr, argv.toArray(String[]::new), envp),
                    "posix_spawnp(" + argv.get(0) + ")");
            // Our unreaped child: its pid cannot be reused before we wait, so this is race-free.
            return new ChildProcess(pid[0], Pidfd.open(pid[0]));
        } finally {
            LIBC.posix_spawn_file_actions_destroy(actions);
            LIBC.posix_spawnattr_destroy(attr);
            if (devNull != null) {
                devNull.close();
            }
        }
    }

    /** posix_spawn* return the error number instead of setting errno. */
    private static void check(int rc, String call) throws NativeException {
        if (rc != 0) {
            throw new NativeException(call, rc);
        }
    }

    public int pid() {
        return pid;
    }

    /** The child's pidfd (owned by this object); pollable: readable once the child exited. */
    public Pidfd pidfd() {
        return pidfd;
    }

    /** pidfd_send_signal. */
    public void signal(int signal) throws NativeException {
        pidfd.sendSignal(signal);
    }

    /** Blocks until the child ends and reaps it; later calls return the same status. */
    public synchronized ExitStatus waitFor() throws NativeException {
        if (status == null) {
            status = pidfd.waitFor(false);
        }
        return status;
    }

    /** Reaps the child if it has ended; null while it runs. */
    public synchronized ExitStatus poll() throws NativeException {
        if (status == null) {
            status = pidfd.waitFor(true);
        }
        return status;
    }

    /**
     * prctl(PR_SET_CHILD_SUBREAPER, 1): an orphaned descendant of this process (its parent died) is
     * reparented to this process instead of init, so its end can still be reaped here with
     * {@link Pidfd#waitFor}. Meant for short-lived processes: other orphans stay zombies until
     * this process ends.
     *
     * @since 0.3.0
     */
    public static void becomeSubreaper() throws NativeException {
        if (LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new NativeException("prctl(PR_SET_CHILD_SUBREAPER)", errno());
        }
    }

    /** kill(2) by pid, for processes that are not our children. */
    public static void kill(int pid, int signal) throws NativeException {
        if (LIBC.kill(pid, signal) != 0) {
            throw new NativeException("kill(" + pid + ", " + signal + ")", errno());
        }
    }

    /** Kills the child if it still runs, reaps it and closes the pidfd. */
    @Override
    public void close() throws NativeException {
        try {
            if (poll() == null) {
                signal(SIGKILL);
                waitFor();
            }
        } finally {
            pidfd.close();
        }
    }
}
