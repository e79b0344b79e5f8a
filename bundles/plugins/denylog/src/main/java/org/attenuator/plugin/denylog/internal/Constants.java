package org.attenuator.plugin.denylog.internal;

/** The flag and value tables (Linux UAPI, x86_64 and the generic ABI; aarch64's open flags differ). */
final class Constants {

    private Constants() {
    }

    static final ValueNames ACCESS_MODE = new ValueNames().add("O_RDONLY", 0).add("O_WRONLY", 1).add("O_RDWR", 2);

    /** x86_64, i386, x32. */
    static final BitNames OPEN_FLAGS = openFlags(0x4000, 0x8000, 0x10000, 0x20000);
    /** aarch64 moves four of them. */
    static final BitNames OPEN_FLAGS_AARCH64 = openFlags(0x10000, 0x20000, 0x4000, 0x8000);

    private static BitNames openFlags(long direct, long largefile, long directory, long nofollow) {
        return BitNames.builder().field(3, ACCESS_MODE)
                .flag("O_TMPFILE", 0x400000 | directory)
                .flag("O_SYNC", 0x101000)
                .flag("O_CREAT", 0x40).flag("O_EXCL", 0x80).flag("O_NOCTTY", 0x100).flag("O_TRUNC", 0x200)
                .flag("O_APPEND", 0x400).flag("O_NONBLOCK", 0x800).flag("O_DSYNC", 0x1000).flag("O_ASYNC", 0x2000)
                .flag("O_DIRECT", direct).flag("O_LARGEFILE", largefile).flag("O_DIRECTORY", directory)
                .flag("O_NOFOLLOW", nofollow).flag("O_NOATIME", 0x40000).flag("O_CLOEXEC", 0x80000)
                .flag("O_PATH", 0x200000).build();
    }

    static final ValueNames SOCK_DOMAIN = new ValueNames().add("AF_UNSPEC", 0).add("AF_UNIX", 1).add("AF_INET", 2)
            .add("AF_AX25", 3).add("AF_IPX", 4).add("AF_APPLETALK", 5).add("AF_INET6", 10).add("AF_KEY", 15)
            .add("AF_NETLINK", 16).add("AF_PACKET", 17).add("AF_RDS", 21).add("AF_CAN", 29).add("AF_TIPC", 30)
            .add("AF_BLUETOOTH", 31).add("AF_ALG", 38).add("AF_VSOCK", 40).add("AF_XDP", 44).add("AF_MCTP", 45);

    static final ValueNames SOCK_TYPE_VALUES = new ValueNames().add("SOCK_STREAM", 1).add("SOCK_DGRAM", 2)
            .add("SOCK_RAW", 3).add("SOCK_RDM", 4).add("SOCK_SEQPACKET", 5).add("SOCK_DCCP", 6).add("SOCK_PACKET", 10);

    static final BitNames SOCK_TYPE = BitNames.builder().field(0xf, SOCK_TYPE_VALUES)
            .flag("SOCK_NONBLOCK", 0x800).flag("SOCK_CLOEXEC", 0x80000).build();

    static final ValueNames SIGNALS = new ValueNames().add("0", 0).add("SIGHUP", 1).add("SIGINT", 2).add("SIGQUIT", 3)
            .add("SIGILL", 4).add("SIGTRAP", 5).add("SIGABRT", 6).add("SIGBUS", 7).add("SIGFPE", 8).add("SIGKILL", 9)
            .add("SIGUSR1", 10).add("SIGSEGV", 11).add("SIGUSR2", 12).add("SIGPIPE", 13).add("SIGALRM", 14)
            .add("SIGTERM", 15).add("SIGSTKFLT", 16).add("SIGCHLD", 17).add("SIGCONT", 18).add("SIGSTOP", 19)
            .add("SIGTSTP", 20).add("SIGTTIN", 21).add("SIGTTOU", 22).add("SIGURG", 23).add("SIGXCPU", 24)
            .add("SIGXFSZ", 25).add("SIGVTALRM", 26).add("SIGPROF", 27).add("SIGWINCH", 28).add("SIGIO", 29)
            .add("SIGPWR", 30).add("SIGSYS", 31);

    private static BitNames.Builder namespaces(BitNames.Builder b) {
        return b.flag("CLONE_NEWNS", 0x20000).flag("CLONE_NEWCGROUP", 0x2000000).flag("CLONE_NEWUTS", 0x4000000)
                .flag("CLONE_NEWIPC", 0x8000000).flag("CLONE_NEWUSER", 0x10000000).flag("CLONE_NEWPID", 0x20000000)
                .flag("CLONE_NEWNET", 0x40000000L);
    }

    /** clone(2): the low byte is the exit signal. */
    static final BitNames CLONE_FLAGS = namespaces(BitNames.builder().field(0xff, SIGNALS)
            .flag("CLONE_VM", 0x100).flag("CLONE_FS", 0x200).flag("CLONE_FILES", 0x400).flag("CLONE_SIGHAND", 0x800)
            .flag("CLONE_PIDFD", 0x1000).flag("CLONE_PTRACE", 0x2000).flag("CLONE_VFORK", 0x4000)
            .flag("CLONE_PARENT", 0x8000).flag("CLONE_THREAD", 0x10000).flag("CLONE_SYSVSEM", 0x40000)
            .flag("CLONE_SETTLS", 0x80000).flag("CLONE_PARENT_SETTID", 0x100000)
            .flag("CLONE_CHILD_CLEARTID", 0x200000).flag("CLONE_DETACHED", 0x400000).flag("CLONE_UNTRACED", 0x800000)
            .flag("CLONE_CHILD_SETTID", 0x1000000).flag("CLONE_IO", 0x80000000L)).build();

    /** unshare(2) and setns(2): no signal byte; CLONE_NEWTIME is 0x80 here. */
    static final BitNames NAMESPACE_FLAGS = namespaces(BitNames.builder().flag("CLONE_NEWTIME", 0x80)
            .flag("CLONE_FS", 0x200).flag("CLONE_FILES", 0x400).flag("CLONE_SYSVSEM", 0x40000)).build();

    static final BitNames MMAP_PROT = BitNames.builder().flag("PROT_READ", 1).flag("PROT_WRITE", 2).flag("PROT_EXEC", 4)
            .flag("PROT_SEM", 8).flag("PROT_GROWSDOWN", 0x1000000).flag("PROT_GROWSUP", 0x2000000).build();

    static final BitNames MMAP_FLAGS = BitNames.builder()
            .field(3, new ValueNames().add("MAP_SHARED", 1).add("MAP_PRIVATE", 2).add("MAP_SHARED_VALIDATE", 3))
            .flag("MAP_FIXED", 0x10).flag("MAP_ANONYMOUS", 0x20).flag("MAP_32BIT", 0x40).flag("MAP_GROWSDOWN", 0x100)
            .flag("MAP_DENYWRITE", 0x800).flag("MAP_EXECUTABLE", 0x1000).flag("MAP_LOCKED", 0x2000)
            .flag("MAP_NORESERVE", 0x4000).flag("MAP_POPULATE", 0x8000).flag("MAP_NONBLOCK", 0x10000)
            .flag("MAP_STACK", 0x20000).flag("MAP_HUGETLB", 0x40000).flag("MAP_SYNC", 0x80000)
            .flag("MAP_FIXED_NOREPLACE", 0x100000).build();

    static final BitNames AT_FLAGS = BitNames.builder().flag("AT_SYMLINK_NOFOLLOW", 0x100).flag("AT_REMOVEDIR", 0x200)
            .flag("AT_SYMLINK_FOLLOW", 0x400).flag("AT_NO_AUTOMOUNT", 0x800).flag("AT_EMPTY_PATH", 0x1000)
            .flag("AT_RECURSIVE", 0x8000).build();

    static final ValueNames PRCTL_OPTION = new ValueNames().add("PR_SET_PDEATHSIG", 1).add("PR_GET_PDEATHSIG", 2)
            .add("PR_GET_DUMPABLE", 3).add("PR_SET_DUMPABLE", 4).add("PR_GET_KEEPCAPS", 7).add("PR_SET_KEEPCAPS", 8)
            .add("PR_SET_NAME", 15).add("PR_GET_NAME", 16).add("PR_GET_SECCOMP", 21).add("PR_SET_SECCOMP", 22)
            .add("PR_CAPBSET_READ", 23).add("PR_CAPBSET_DROP", 24).add("PR_GET_SECUREBITS", 27)
            .add("PR_SET_SECUREBITS", 28).add("PR_SET_TIMERSLACK", 29).add("PR_SET_MM", 35)
            .add("PR_SET_CHILD_SUBREAPER", 36).add("PR_GET_CHILD_SUBREAPER", 37).add("PR_SET_NO_NEW_PRIVS", 38)
            .add("PR_GET_NO_NEW_PRIVS", 39).add("PR_GET_TID_ADDRESS", 40).add("PR_SET_THP_DISABLE", 41)
            .add("PR_CAP_AMBIENT", 47).add("PR_SET_PTRACER", 0x59616d61).add("PR_SET_VMA", 0x53564d41);

    static final ValueNames FCNTL_CMD = new ValueNames().add("F_DUPFD", 0).add("F_GETFD", 1).add("F_SETFD", 2)
            .add("F_GETFL", 3).add("F_SETFL", 4).add("F_GETLK", 5).add("F_SETLK", 6).add("F_SETLKW", 7)
            .add("F_SETOWN", 8).add("F_GETOWN", 9).add("F_SETSIG", 10).add("F_GETSIG", 11).add("F_SETOWN_EX", 15)
            .add("F_GETOWN_EX", 16).add("F_OFD_GETLK", 36).add("F_OFD_SETLK", 37).add("F_OFD_SETLKW", 38)
            .add("F_SETLEASE", 1024).add("F_GETLEASE", 1025).add("F_NOTIFY", 1026).add("F_DUPFD_CLOEXEC", 1030)
            .add("F_SETPIPE_SZ", 1031).add("F_GETPIPE_SZ", 1032).add("F_ADD_SEALS", 1033).add("F_GET_SEALS", 1034);
}
