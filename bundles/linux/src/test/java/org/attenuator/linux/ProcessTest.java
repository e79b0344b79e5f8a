package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcessTest {
    private static final Map<String, String> ENV = System.getenv();

    @Test
    void exitCodeAndOutput() throws Exception {
        try (Fd out = Memfd.create("out", Memfd.CLOEXEC);
             ChildProcess p = ChildProcess.spawn(List.of("sh", "-c", "echo out $$; exit 7"), ENV, null, out, null)) {
            ExitStatus s = p.waitFor();
            assertTrue(s.exited());
            assertEquals(7, s.exitCode());
            assertEquals(p.pid(), s.pid());
            assertEquals("exit code 7", s.toString());
            assertEquals("out " + p.pid() + "\n", TestSupport.contents(out));
        }
    }

    @Test
    void newSessionChildLeadsItsOwnSessionAndProcessGroup() throws Exception {
        try (ChildProcess p = ChildProcess.spawn(List.of("sleep", "30"), ENV, null, null, null, true);
             ChildProcess same = ChildProcess.spawn(List.of("sleep", "30"), ENV, null, null, null)) {
            String[] own = statFields(p.pid());
            assertEquals(String.valueOf(p.pid()), own[2], "process group");
            assertEquals(String.valueOf(p.pid()), own[3], "session");
            String[] ours = statFields(ProcessHandle.current().pid());
            assertEquals(List.of(ours[2], ours[3]), List.of(statFields(same.pid())[2], statFields(same.pid())[3]),
                    "without newSession the child stays in the caller's group and session");
        }
    }

    /** /proc/PID/stat after the command: state, ppid, pgrp, session, ... */
    private static String[] statFields(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    @Test
    void pidfdSendSignalKillsAndWaitidSeesTheSignal() throws Exception {
        try (ChildProcess p = ChildProcess.spawn(List.of("sleep", "30"), ENV, null, null, null)) {
            assertNull(p.poll(), "still running");
            p.signal(ChildProcess.SIGKILL);
            ExitStatus s = p.waitFor();
            assertEquals(ExitStatus.CLD_KILLED, s.code());
            assertEquals(ChildProcess.SIGKILL, s.signal());
            assertEquals(137, s.shellStatus());
            assertEquals("killed by signal 9", s.toString());
            NativeException e = assertThrows(NativeException.class, () -> p.signal(ChildProcess.SIGKILL));
            assertEquals(Errno.ESRCH, e.errno(), "reaped process");
        }
    }

    @Test
    void pidfdGetfdCopiesAChildsFd() throws Exception {
        try (Fd out = Memfd.create("shared", Memfd.CLOEXEC);
             ChildProcess p = ChildProcess.spawn(List.of("sleep", "30"), ENV, null, out, null)) {
            // The child's fd 1 is our memfd: a copy taken through the pidfd is the same file.
            try (Fd copy = p.pidfd().getFd(1)) {
                assertTrue(copy.isCloseOnExec());
                copy.writeFully("written through the copy".getBytes());
            }
            assertEquals("written through the copy", TestSupport.contents(out));
            NativeException e = assertThrows(NativeException.class, () -> p.pidfd().getFd(999));
            assertEquals("pidfd_getfd(" + p.pid() + ", 999): Bad file descriptor (EBADF)", e.getMessage());
        }
    }

    @Test
    void pidfdOpenOfAMissingProcessIsEsrch() {
        NativeException e = assertThrows(NativeException.class, () -> Pidfd.open(Integer.MAX_VALUE - 1));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().startsWith("pidfd_open("), e.getMessage());
    }

    @Test
    void spawnOfAMissingProgramNamesTheCall() {
        NativeException e = assertThrows(NativeException.class,
                () -> ChildProcess.spawn(List.of("/nonexistent/prog"), ENV, null, null, null));
        assertEquals("posix_spawnp(/nonexistent/prog): No such file or directory (ENOENT)", e.getMessage());
    }

    @Test
    void killByPid() throws Exception {
        try (ChildProcess p = ChildProcess.spawn(List.of("sleep", "30"), ENV, null, null, null)) {
            ChildProcess.kill(p.pid(), ChildProcess.SIGTERM);
            assertEquals(ChildProcess.SIGTERM, p.waitFor().signal());
        }
    }

    @Test
    void processVmReadvAndProcMemOfOurOwnMemory() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        jnr.ffi.Pointer mine = org.attenuator.linux.internal.Native.allocate(16);
        mine.put(0, "attenuator".getBytes(), 0, 10);
        long address = mine.address();
        byte[] b = new byte[10];
        assertEquals(10, ProcessMemory.read(pid, address, b, 0, 10));
        assertEquals("attenuator", new String(b));
        assertEquals("attenuator", ProcessMemory.readCString(pid, address, 100));
        try (Fd mem = Fd.open("/proc/self/mem", Fd.O_RDONLY)) {
            ByteBuffer buf = ByteBuffer.allocate(4);
            assertEquals(4, mem.pread(buf, address + 6));
            assertEquals("ator", new String(buf.array()));
        }
        NativeException e = assertThrows(NativeException.class, () -> ProcessMemory.read(pid, 8, b, 0, 4));
        assertEquals("process_vm_readv(" + pid + "): Bad address (EFAULT)", e.getMessage());
    }
}
