package org.attenuator.linux.internal;

/**
 * Offsets and sizes of the kernel and libc structs used, identical on x86_64 and aarch64 (LP64).
 * The arch-dependent one (epoll_event) is in {@link LinuxAbi}.
 */
public final class Structs {
    private Structs() {}

    /* struct seccomp_notif { u64 id; u32 pid; u32 flags; struct seccomp_data data; } */
    public static final int NOTIF_ID = 0, NOTIF_PID = 8, NOTIF_FLAGS = 12, NOTIF_NR = 16, NOTIF_ARCH = 20,
            NOTIF_IP = 24, NOTIF_ARGS = 32, NOTIF_SIZE = 80;
    /* struct seccomp_notif_resp { u64 id; s64 val; s32 error; u32 flags; } */
    public static final int RESP_ID = 0, RESP_VAL = 8, RESP_ERROR = 16, RESP_FLAGS = 20, RESP_SIZE = 24;
    /* struct seccomp_notif_addfd { u64 id; u32 flags; u32 srcfd; u32 newfd; u32 newfd_flags; } */
    public static final int ADDFD_ID = 0, ADDFD_FLAGS = 8, ADDFD_SRCFD = 12, ADDFD_NEWFD = 16,
            ADDFD_NEWFD_FLAGS = 20, ADDFD_SIZE = 24;
    /* struct seccomp_notif_sizes { u16 seccomp_notif; u16 seccomp_notif_resp; u16 seccomp_data; } */
    public static final int SIZES_NOTIF = 0, SIZES_RESP = 2, SIZES_DATA = 4, SIZES_SIZE = 6;
    /* struct sock_fprog { unsigned short len; struct sock_filter *filter; } */
    public static final int FPROG_LEN = 0, FPROG_FILTER = 8, FPROG_SIZE = 16;

    /* struct iovec { void *base; size_t len; } */
    public static final int IOV_BASE = 0, IOV_LEN = 8, IOV_SIZE = 16;
    /* struct msghdr */
    public static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32,
            MSG_CONTROLLEN = 40, MSG_FLAGS = 48, MSG_SIZE = 56;
    /* struct cmsghdr { size_t len; int level; int type; data[] } */
    public static final int CMSG_LEN_OFF = 0, CMSG_LEVEL = 8, CMSG_TYPE = 12, CMSG_HDR = 16;
    /* struct sockaddr_un { sa_family_t family; char path[108]; } */
    public static final int SUN_FAMILY = 0, SUN_PATH = 2, SUN_PATH_MAX = 108, SUN_SIZE = 110;
    /* struct ucred { pid_t pid; uid_t uid; gid_t gid; } */
    public static final int UCRED_PID = 0, UCRED_UID = 4, UCRED_GID = 8, UCRED_SIZE = 12;
    /* struct timeval { long sec; long usec; } */
    public static final int TIMEVAL_SEC = 0, TIMEVAL_USEC = 8, TIMEVAL_SIZE = 16;
    /* siginfo_t as waitid fills it for SIGCHLD: signo, errno, code, then pid, uid, status */
    public static final int SIGINFO_SIGNO = 0, SIGINFO_CODE = 8, SIGINFO_PID = 16, SIGINFO_UID = 20,
            SIGINFO_STATUS = 24, SIGINFO_SIZE = 128;
    /* struct statx: the same on every architecture; only the mode and size are read */
    public static final int STATX_MODE = 28, STATX_SIZE_OFF = 40, STATX_SIZE = 256;
    /* glibc posix_spawn_file_actions_t is 80 bytes on LP64; room to spare */
    public static final int SPAWN_FILE_ACTIONS_SIZE = 256;

    /** CMSG_SPACE(n): header plus data, rounded to the size_t alignment. */
    public static int cmsgSpace(int dataLen) {
        return CMSG_HDR + ((dataLen + 7) & ~7);
    }

    /** CMSG_LEN(n). */
    public static int cmsgLen(int dataLen) {
        return CMSG_HDR + dataLen;
    }
}
