package org.attenuator.profile.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The io_uring operations that do what a system call does, with the calls they stand for
 * (include/uapi/linux/io_uring.h and io_uring/opdef.c, Linux 6.18). The kernel performs them
 * for the ring without a system call, so a seccomp filter never sees them: a profile that allows
 * io_uring_setup lets a target run them whatever its rules for these calls say. Ops that stand
 * for no call (NOP, TIMEOUT, ASYNC_CANCEL, buffer and ring management) are left out.
 */
final class IoUringOps {

    /** Op name (without IORING_OP_) to the system calls it performs, in the header's order. */
    static final Map<String, List<String>> SYSCALLS = table();

    private IoUringOps() {
    }

    private static Map<String, List<String>> table() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("READV", List.of("readv", "preadv", "preadv2"));
        t.put("WRITEV", List.of("writev", "pwritev", "pwritev2"));
        t.put("FSYNC", List.of("fsync", "fdatasync"));
        t.put("READ_FIXED", List.of("read", "pread64"));
        t.put("WRITE_FIXED", List.of("write", "pwrite64"));
        t.put("POLL_ADD", List.of("poll", "ppoll"));
        t.put("SYNC_FILE_RANGE", List.of("sync_file_range"));
        t.put("SENDMSG", List.of("sendmsg"));
        t.put("RECVMSG", List.of("recvmsg"));
        t.put("ACCEPT", List.of("accept", "accept4"));
        t.put("CONNECT", List.of("connect"));
        t.put("FALLOCATE", List.of("fallocate"));
        t.put("OPENAT", List.of("openat"));
        t.put("CLOSE", List.of("close"));
        t.put("STATX", List.of("statx"));
        t.put("READ", List.of("read", "pread64"));
        t.put("WRITE", List.of("write", "pwrite64"));
        t.put("FADVISE", List.of("fadvise64"));
        t.put("MADVISE", List.of("madvise"));
        t.put("SEND", List.of("sendto"));
        t.put("RECV", List.of("recvfrom"));
        t.put("OPENAT2", List.of("openat2"));
        t.put("EPOLL_CTL", List.of("epoll_ctl"));
        t.put("SPLICE", List.of("splice"));
        t.put("TEE", List.of("tee"));
        t.put("SHUTDOWN", List.of("shutdown"));
        t.put("RENAMEAT", List.of("renameat", "renameat2"));
        t.put("UNLINKAT", List.of("unlinkat"));
        t.put("MKDIRAT", List.of("mkdirat"));
        t.put("SYMLINKAT", List.of("symlinkat"));
        t.put("LINKAT", List.of("linkat"));
        t.put("FSETXATTR", List.of("fsetxattr"));
        t.put("SETXATTR", List.of("setxattr"));
        t.put("FGETXATTR", List.of("fgetxattr"));
        t.put("GETXATTR", List.of("getxattr"));
        t.put("SOCKET", List.of("socket"));
        t.put("URING_CMD", List.of("ioctl"));
        t.put("SEND_ZC", List.of("sendto"));
        t.put("SENDMSG_ZC", List.of("sendmsg"));
        t.put("READ_MULTISHOT", List.of("read"));
        t.put("WAITID", List.of("waitid"));
        t.put("FUTEX_WAIT", List.of("futex", "futex_wait"));
        t.put("FUTEX_WAKE", List.of("futex", "futex_wake"));
        t.put("FUTEX_WAITV", List.of("futex_waitv"));
        t.put("FIXED_FD_INSTALL", List.of("dup3"));
        t.put("FTRUNCATE", List.of("ftruncate"));
        t.put("BIND", List.of("bind"));
        t.put("LISTEN", List.of("listen"));
        t.put("RECV_ZC", List.of("recvfrom"));
        t.put("EPOLL_WAIT", List.of("epoll_wait", "epoll_pwait"));
        t.put("READV_FIXED", List.of("preadv", "preadv2"));
        t.put("WRITEV_FIXED", List.of("pwritev", "pwritev2"));
        t.put("PIPE", List.of("pipe2"));
        return Collections.unmodifiableMap(t);
    }
}
