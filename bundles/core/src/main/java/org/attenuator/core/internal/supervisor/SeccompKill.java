package org.attenuator.core.internal.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.Pidfd;

/**
 * Kills the caller of a routed KILL_PROCESS / KILL_THREAD rule as the kernel would: by SIGSYS
 * (status 128+31, a core dump where the kernel would dump one), before the call has any effect
 * (the caller never gets CONTINUE). SIGSYS is only as strong as the kernel's kill while its
 * default action applies: when the calling thread blocks it, the process ignores or catches it,
 * or the caller is its pid namespace's init (which ignores default-action signals from outside),
 * the kill is SIGKILL. The disposition is read again after SIGSYS: a handler installed meanwhile
 * by another thread gets SIGKILL after it.
 */
final class SeccompKill {

    static final int SIGKILL = 9;
    static final int SIGSYS = 31;
    private static final long SIGSYS_BIT = 1L << (SIGSYS - 1);

    private SeccompKill() {
    }

    /** Signals {@code caller} (opened for thread {@code tid}, already confirmed the notifier) to death. */
    static void kill(Pidfd caller, int tid) throws NativeException {
        if (!sigsysKills(tid)) {
            caller.sendSignal(SIGKILL);
            return;
        }
        caller.sendSignal(SIGSYS);
        if (!sigsysKills(tid)) {
            caller.sendSignal(SIGKILL);
        }
    }

    /**
     * Whether SIGSYS with its default action would end thread {@code tid}'s process, by
     * /proc/TID/status; false when it cannot be read (then SIGKILL does it).
     */
    static boolean sigsysKills(int tid) {
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        boolean seen = false;
        for (String line : status) {
            int colon = line.indexOf(':');
            String key = colon < 0 ? "" : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            switch (key) {
                case "SigBlk", "SigIgn", "SigCgt" -> {
                    if ((Long.parseUnsignedLong(value, 16) & SIGSYS_BIT) != 0) {
                        return false;
                    }
                    seen = true;
                }
                case "NSpid" -> {
                    String[] ids = value.split("\\s+");
                    if (ids[ids.length - 1].equals("1")) {
                        return false; // a namespace's init ignores SIGSYS from outside
                    }
                }
                default -> {
                    // not about signals
                }
            }
        }
        return seen;
    }
}
