/*
 * attenuator-exec - the fork server of Attenuator's launches, and the only code that runs
 * between fork and exec when Attenuator starts a program under a seccomp filter ("fork,
 * prepare, exec & apply"; DESIGN.md, Exec-time application).
 *
 *   attenuator-exec --serve SOCKET
 *
 * The supervisor (Java, LauncherService) spawns it once, as its own child, and keeps it for
 * every launch: each launch is then one fork of this small process plus the target's execve,
 * not a spawn of a launcher plus a second execve.
 *
 * Server. It sets PR_SET_PDEATHSIG(SIGKILL) (it dies with the supervisor), leaves the
 * supervisor's process group for a group of its own in the same session (a signal to the caller's
 * group, from timeout(1), `kill -TERM -PGID` or the terminal, must not end it: its children's
 * exit statuses would be lost), ignores the terminal's job-control and interrupt signals, binds
 * SOCKET (0600; the directory should be private) and accepts connections. Each child joins the
 * supervisor's process group again (setpgid works within a session), so targets are in the
 * terminal's foreground group when the supervisor is. It is not dumpable (PR_SET_DUMPABLE 0): a
 * target of the same uid cannot ptrace it, write its /proc/PID/mem or pidfd_getfd its fds. A
 * connection whose SO_PEERCRED is not
 * the server's parent process (pid = getppid(), same uid) is refused: it gets
 * "error refused: ...\n" and is closed. One client at a time; the accepted one first reads
 *     attenuator-exec 4 serving pid=<server pid>\n
 * When that client closes its end, the server removes SOCKET and exits (children keep running).
 * Nobody connecting within 10 s also ends it.
 *
 * Request (client -> server): a 4-byte length L (host order, 1..MAX_REQUEST) and L bytes, with
 * SCM_RIGHTS fds on its first byte: CHANNEL, STDIN, STDOUT, STDERR[, KEEP...]. The L bytes are
 * NUL-terminated fields and then the program:
 *     exec\0 MODE\0 CAPS\0 PIDNS\0 PATH\0 CWD\0 ARGC\0 ARG...\0 ENVC\0 NAME=VALUE...\0 PROGRAM
 * MODE is "supervised" or "kernel", either with "+log" to install with SECCOMP_FILTER_FLAG_LOG
 * (the kernel logs every action but allow: the deny-log of kernel-decided calls); CAPS the
 * capabilities the target keeps: "all" (every one the server has, untouched) or a hex bit mask
 * (bit N = capability N, "0" none); PIDNS "shared" or "new" (see Reaper below); PATH the file to execve (already resolved by the client,
 * which also decided 127/126); PROGRAM a raw struct sock_filter array, 1..4096 instructions.
 * A request that does not parse gets "error bad request: WHY\n", its fds are closed, and the
 * server reads the next one.
 * Replies (server -> client), lines:
 *     pid <P>\n             the child is forked; its pidfd travels with this line (SCM_RIGHTS)
 *     error <WHY>\n         nothing was forked
 *     exit <P> <CODE> <STATUS>\n  child P ended (waitid: si_code CLD_EXITED=1 with the exit
 *                           status, CLD_KILLED=2 / CLD_DUMPED=3 with the signal); always after
 *                           P's "pid" line. The server reaps every child.
 *
 * Reaper (PIDNS "new"). The server's child is cloned with CLONE_NEWPID (the server needs
 * CAP_SYS_ADMIN, else "error clone(CLONE_NEWPID): ..." and nothing runs): it is pid 1 of a new
 * pid namespace, and the "pid" and "exit" lines are about it. The server first moves it into the
 * supervisor's process group (it cannot join a group of the outer namespace itself); it then
 * blocks every signal, forks the child below (pid 2, which inherits that group and skips its own
 * setpgid), leaves for a group of its own (the terminal's signals reach the target directly, not
 * twice), closes every fd and loops on sigwaitinfo: every signal but SIGCHLD is forwarded to the
 * child, every child (orphans come to pid 1) is reaped, and when its child ends it exits with
 * the child's exit status, or 128+N when signal N killed it (as tini does). Its end kills what is
 * left in the namespace. It never execs, allocates nothing and stays non-dumpable. The child's
 * announce names its pid in the supervisor's namespace (read from /proc/self: no mount
 * namespace is made, so /proc is the outer one's), not its own getpid() (2).
 *
 * Child (after fork; nothing is allocated, only syscalls), in this order:
 *  1. resets every signal to SIG_DFL and unblocks all signals;
 *  2. moves STDIN, STDOUT, STDERR to 0, 1, 2 and KEEP... to 3, 4, ...; CHANNEL stays above them,
 *     close-on-exec; chdir(CWD); joins the supervisor's process group;
 *  3. closes every other fd;
 *  4. unless CAPS is "all": keeps the capabilities of CAPS that the server has and no others.
 *     It drops the rest from the bounding set (when it has CAP_SETPCAP; without it, it has nothing
 *     that NO_NEW_PRIVS would let execve raise), clears the ambient set, sets effective, permitted
 *     and inheritable to the kept set with capset, and raises each kept one in the ambient set (a
 *     non-root target keeps them across execve only so). Done before the filter, which therefore
 *     need not allow capset or prctl. Then, when the server lacks CAP_SYS_PTRACE (a non-root
 *     supervisor), a supervised child becomes dumpable again: the supervisor can take its
 *     listener with pidfd_getfd only so, and without CAP_SYS_PTRACE it has no advantage over a
 *     same-uid process to protect anyway. Otherwise it stays non-dumpable up to its execve;
 *  5. prctl(PR_SET_NO_NEW_PRIVS, 1);
 *  6. kernel mode: seccomp(SECCOMP_SET_MODE_FILTER, 0, program), then execve at once. The program
 *     must allow execve.
 *     supervised mode (the program returns SECCOMP_RET_USER_NOTIF for execve/execveat):
 *     a. N = the lowest free fd: the number seccomp's NEW_LISTENER returns, as nothing opens an
 *        fd in between;
 *     b. writes exactly one line on CHANNEL:  attenuator-exec 1 pid=<pid> listener=<N>\n
 *        (pid as the supervisor sees it; with PIDNS "new" the supervisor takes the listener
 *        from that pid, a child of the server's child, with pidfd_open and pidfd_getfd)
 *     c. installs the program with NEW_LISTENER | WAIT_KILLABLE_RECV (without WAIT_KILLABLE_RECV
 *        if the kernel refuses it with EINVAL) and checks the listener is fd N (else exit 125);
 *     d. calls execve at once. The supervisor takes the listener with pidfd_getfd(pidfd, N)
 *        (retrying on EBADF until it appears; it checks the fd is "anon_inode:seccomp notify"),
 *        receives the listener's first notification, checks it is execve from <pid>, and answers
 *        SECCOMP_USER_NOTIF_FLAG_CONTINUE. The listener is close-on-exec, so the target never
 *        holds it; every later execve of the target is a fresh notification.
 *  7. CHANNEL is close-on-exec: the client sees EOF on its end once the execve went through (or
 *     the child died). If execve returns, the child reports it on stderr (best effort: the filter
 *     may deny the write) and exits 126 (127 for ENOENT).
 *
 * Exit status of a child that fails before its exec: 125 setup failure (the line names the
 * syscall and errno), 126 cannot execute, 127 not found; one line on its stderr,
 * "attenuator-exec: WHAT: CAUSE". Nothing is installed unless every earlier step succeeded, and
 * nothing but execve runs under the filter, so the target cannot reuse an allowance meant for
 * the launcher.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h> /* struct dirent64 */
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "attn_child.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) /* Linux 5.19 */
#endif

enum { EXIT_SETUP = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };
#define MAX_INSNS 4096                 /* BPF_MAXINSNS */
#define MAX_KEEP 60                    /* 4 + MAX_KEEP fds per request */
#define MAX_FDS (4 + MAX_KEEP)
#define MAX_REQUEST (16u << 20)        /* argv + envp + program */
#define MAX_ARGS 65536
#define ACCEPT_TIMEOUT_MS 10000

static struct sock_filter insns[MAX_INSNS];
static pid_t caller_pgid; /* the supervisor's process group, which every child joins */

/* One parsed request; the strings point into buf. */
struct request {
    char *buf;
    int fds[MAX_FDS];
    int nfds;
    int supervised;
    unsigned long log_flag; /* SECCOMP_FILTER_FLAG_LOG or 0 */
    int all_caps;           /* CAPS "all": capabilities untouched */
    uint64_t caps;          /* else the ones to keep, bit N = capability N */
    int new_pidns;          /* PIDNS "new": a reaper as pid 1 of a new pid namespace */
    const char *path, *cwd;
    char **argv, **envp;
    unsigned short ninsns;
};

/* ------------------------------------------------------------------------------------------ */
/* Child side: only syscalls from here to execve.                                              */

static void child_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void child_fail(int status, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    if (write(2, "attenuator-exec: ", 17) > 0 && write(2, line, (size_t)n) > 0) {
        /* best effort */
    }
    _exit(status);
}

/* "Invalid argument (EINVAL)": setup failures name the errno exactly. */
static const char *errstr(int e, char *buf, size_t size)
{
    const char *name = strerrorname_np(e);
    snprintf(buf, size, "%s (%s)", strerror(e), name ? name : "?");
    return buf;
}
#define ERRSTR(e) errstr((e), (char[96]){0}, 96)

/* Closes fds lo..hi; /proc/self/fd is the fallback for kernels without close_range (< 5.9),
 * read with getdents64 into a stack buffer so nothing is allocated. */
static void close_between(unsigned int lo, unsigned int hi)
{
    if (lo > hi)
        return;
    if (syscall(SYS_close_range, lo, hi, 0) == 0)
        return;
    if (errno != ENOSYS)
        child_fail(EXIT_SETUP, "close_range(%u, %u): %s", lo, hi, ERRSTR(errno));
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        child_fail(EXIT_SETUP, "open(/proc/self/fd): %s", ERRSTR(errno));
    char buf[4096] __attribute__((aligned(8)));
    long n;
    while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *ent = (struct dirent64 *)(void *)(buf + off);
            long fd = strtol(ent->d_name, NULL, 10);
            if (ent->d_name[0] != '.' && fd >= lo && fd <= hi && fd != dir)
                close((int)fd);
            off += ent->d_reclen;
        }
    }
    if (n < 0)
        child_fail(EXIT_SETUP, "getdents64(/proc/self/fd): %s", ERRSTR(errno));
    close(dir);
}

/* Closes every fd not in keep[0..n) (sorted ascending, all >= 0). */
static void close_all_but(const int *keep, int n)
{
    unsigned int from = 0;
    for (int i = 0; i < n; i++) {
        if ((unsigned int)keep[i] < from)
            continue;
        close_between(from, (unsigned int)keep[i] - 1);
        from = (unsigned int)keep[i] + 1;
    }
    close_between(from, ~0U);
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* Step 2-3: fds[1..] become 0, 1, 2, 3...; returns the channel's new number (close-on-exec). */
static int place_fds(const struct request *r)
{
    int sorted[MAX_FDS];
    memcpy(sorted, r->fds, sizeof(int) * (size_t)r->nfds);
    qsort(sorted, (size_t)r->nfds, sizeof(int), cmp_int);
    close_all_but(sorted, r->nfds); /* the server's own fds, 0-2 included */
    int ntarget = r->nfds - 1;      /* 0..ntarget-1 are the target's */
    int high = sorted[r->nfds - 1] + 1;
    if (high < ntarget)
        high = ntarget;
    int moved[MAX_FDS];
    for (int i = 0; i < r->nfds; i++) { /* above everything, so no dup2 below overwrites a source */
        moved[i] = fcntl(r->fds[i], F_DUPFD_CLOEXEC, high);
        if (moved[i] < 0)
            _exit(EXIT_SETUP); /* no stderr yet */
        close(r->fds[i]);
    }
    for (int i = 1; i < r->nfds; i++) {
        if (dup2(moved[i], i - 1) < 0) /* dup2 clears FD_CLOEXEC */
            _exit(EXIT_SETUP);
        close(moved[i]);
    }
    return moved[0];
}

/* The server's own effective CAP_SYS_PTRACE, see step 4. */
static int server_can_ptrace;

/* Step 4: the target keeps keep & permitted, in every set, and nothing else. */
static void drop_capabilities(uint64_t keep)
{
    char what[64];
    if (attn_keep_capabilities(keep, what, sizeof(what)) != 0)
        child_fail(EXIT_SETUP, "%s: %s", what, ERRSTR(errno));
}

/* Our pid in the namespace of /proc's mount, the supervisor's (getpid() is 2 in a new one). */
static pid_t outer_pid(void)
{
    char link[32];
    ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
    if (n <= 0)
        child_fail(EXIT_SETUP, "readlink(/proc/self): %s", ERRSTR(n < 0 ? errno : ENOENT));
    link[n] = '\0';
    return (pid_t)strtol(link, NULL, 10);
}

static void child(const struct request *r) __attribute__((noreturn));
static void child(const struct request *r)
{
    sigset_t none;
    sigemptyset(&none);
    attn_reset_signals(&none);

    int channel = place_fds(r);
    if (chdir(r->cwd) != 0)
        child_fail(EXIT_SETUP, "chdir(%s): %s", r->cwd, ERRSTR(errno));
    if (!r->new_pidns && setpgid(0, caller_pgid) != 0) /* else inherited from the reaper */
        child_fail(EXIT_SETUP, "setpgid(0, %d): %s", (int)caller_pgid, ERRSTR(errno));
    if (!r->all_caps)
        drop_capabilities(r->caps);
    if (r->supervised && !server_can_ptrace && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
        child_fail(EXIT_SETUP, "prctl(PR_SET_DUMPABLE, 1): %s", ERRSTR(errno));
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(EXIT_SETUP, "prctl(PR_SET_NO_NEW_PRIVS): %s", ERRSTR(errno));

    struct sock_fprog prog = { .len = r->ninsns, .filter = insns };
    if (!r->supervised) {
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, r->log_flag, &prog) != 0)
            child_fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER): %s", ERRSTR(errno));
    } else {
        int n = 0;
        while (fcntl(n, F_GETFD) >= 0)
            n++;
        char line[80];
        pid_t me = r->new_pidns ? outer_pid() : getpid();
        int len = snprintf(line, sizeof(line), "attenuator-exec 1 pid=%d listener=%d\n", (int)me, n);
        for (int off = 0; off < len;) {
            ssize_t w = send(channel, line + off, (size_t)(len - off), MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                child_fail(EXIT_SETUP, "announce: send: %s", ERRSTR(errno));
            off += (int)w;
        }
        unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | r->log_flag;
        long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                          flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
        if (fd < 0 && errno == EINVAL) /* kernel < 5.19; a bad program fails again below */
            fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
        if (fd < 0)
            child_fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER): %s", ERRSTR(errno));
        if (fd != n)
            child_fail(EXIT_SETUP, "seccomp listener is fd %ld, announced %d", fd, n);
    }
    /* From here on only execve runs under the filter. */
    execve(r->path, r->argv, r->envp);
    int e = errno;
    child_fail(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "%s: %s", r->argv[0], strerror(e));
}

/* pid 1 of a new pid namespace (see Reaper in the top comment). */
static void reaper(const struct request *r) __attribute__((noreturn));
static void reaper(const struct request *r)
{
    sigset_t all;
    sigfillset(&all);
    attn_reset_signals(&all); /* blocked, so even pid 1's default-ignored ones queue for sigwaitinfo */
    pid_t target = fork();
    if (target == 0)
        child(r);
    if (target < 0)
        child_fail(EXIT_SETUP, "fork in the new pid namespace: %s", ERRSTR(errno));
    if (setpgid(0, 0) != 0)
        child_fail(EXIT_SETUP, "setpgid(0, 0): %s", ERRSTR(errno));
    close_between(0, ~0U);
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);
        if (sig > 0 && sig != SIGCHLD) {
            kill(target, sig);
            continue;
        }
        int status;
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
            if (p == target)
                _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Server side.                                                                                */

static const char *sock_path;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("attenuator-exec: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (sock_path)
        unlink(sock_path);
    exit(EXIT_SETUP);
}

/* Sends one line (and an fd, if fd >= 0); a client that is gone ends the server. */
static void reply(int client, int fd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reply(int client, int fd, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof(line)) {
        len = (int)sizeof(line) - 1;
        line[len - 1] = '\n';
    }
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
    for (int off = 0; off < len;) {
        struct iovec iov = { line + off, (size_t)(len - off) };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
        if (off == 0 && fd >= 0) {
            memset(&ctl, 0, sizeof(ctl));
            m.msg_control = ctl.buf;
            m.msg_controllen = sizeof(ctl.buf);
            struct cmsghdr *c = CMSG_FIRSTHDR(&m);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        ssize_t w = sendmsg(client, &m, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            unlink(sock_path);
            exit(0); /* the supervisor is gone */
        }
        off += (int)w;
    }
}

/* recvmsg into buf[0..len) entirely; fds that come along are appended to r (extra ones closed).
 * Returns 0 at EOF before the first byte, 1 when full, -1 on a short read or error. */
static int receive_full(int s, char *buf, size_t len, struct request *r)
{
    size_t got = 0;
    while (got < len) {
        union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)]; } ctl;
        struct iovec iov = { buf + got, len - got };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                            .msg_controllen = sizeof(ctl.buf) };
        ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return got == 0 && n == 0 ? 0 : -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < k; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + sizeof(int) * (size_t)i, sizeof(int));
                if (r->nfds < MAX_FDS)
                    r->fds[r->nfds++] = fd;
                else
                    close(fd);
            }
        }
        got += (size_t)n;
    }
    return 1;
}

/* The next NUL-terminated field at *at, or NULL when none is left. */
static char *field(struct request *r, size_t len, size_t *at)
{
    char *s = r->buf + *at;
    char *end = memchr(s, '\0', len - *at);
    if (*at >= len || end == NULL)
        return NULL;
    *at = (size_t)(end - r->buf) + 1;
    return s;
}

static long count(struct request *r, size_t len, size_t *at)
{
    char *s = field(r, len, at), *end;
    if (s == NULL || *s == '\0')
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno != 0 || *end != '\0' || v < 0 || v > MAX_ARGS ? -1 : v;
}

static char **strings(struct request *r, size_t len, size_t *at, long n, int at_least_one)
{
    if (n < at_least_one)
        return NULL;
    char **v = calloc((size_t)n + 1, sizeof(char *));
    if (v == NULL)
        return NULL;
    for (long i = 0; i < n; i++) {
        if ((v[i] = field(r, len, at)) == NULL) {
            free(v);
            return NULL;
        }
    }
    return v;
}

/* Parses buf[0..len); NULL when fine, else why not. */
static const char *parse(struct request *r, size_t len)
{
    size_t at = 0;
    const char *verb = field(r, len, &at), *mode = field(r, len, &at);
    if (verb == NULL || strcmp(verb, "exec") != 0)
        return "not an exec request";
    if (mode == NULL)
        return "no mode";
    size_t base = strcspn(mode, "+");
    if (strcmp(mode + base, "") != 0 && strcmp(mode + base, "+log") != 0)
        return "mode must be supervised or kernel, optionally +log";
    if (base == strlen("supervised") && strncmp(mode, "supervised", base) == 0)
        r->supervised = 1;
    else if (base == strlen("kernel") && strncmp(mode, "kernel", base) == 0)
        r->supervised = 0;
    else
        return "mode must be supervised or kernel, optionally +log";
    r->log_flag = mode[base] == '+' ? SECCOMP_FILTER_FLAG_LOG : 0;
    const char *caps = field(r, len, &at);
    char *end;
    if (caps == NULL)
        return "no capabilities";
    r->all_caps = strcmp(caps, "all") == 0;
    errno = 0;
    r->caps = r->all_caps ? 0 : strtoull(caps, &end, 16);
    if (!r->all_caps && (caps[0] == '\0' || !isxdigit((unsigned char)caps[0]) || *end != '\0' || errno != 0))
        return "capabilities must be all or a hex mask";
    const char *pidns = field(r, len, &at);
    if (pidns == NULL || (strcmp(pidns, "shared") != 0 && strcmp(pidns, "new") != 0))
        return "pid namespace must be shared or new";
    r->new_pidns = strcmp(pidns, "new") == 0;
    r->path = field(r, len, &at);
    r->cwd = field(r, len, &at);
    if (r->path == NULL || r->path[0] != '/' || r->cwd == NULL || r->cwd[0] != '/')
        return "path and cwd must be absolute";
    if ((r->argv = strings(r, len, &at, count(r, len, &at), 1)) == NULL)
        return "bad argv";
    if ((r->envp = strings(r, len, &at, count(r, len, &at), 0)) == NULL)
        return "bad envp";
    size_t plen = len - at;
    if (plen == 0 || plen % sizeof(struct sock_filter) != 0 || plen > sizeof(insns))
        return "the program must be 1..4096 whole 8-byte instructions";
    memcpy(insns, r->buf + at, plen);
    r->ninsns = (unsigned short)(plen / sizeof(struct sock_filter));
    if (r->nfds < 4)
        return "expected the channel, stdin, stdout and stderr fds";
    return NULL;
}

static void release(struct request *r)
{
    for (int i = 0; i < r->nfds; i++)
        close(r->fds[i]);
    free(r->argv);
    free(r->envp);
    free(r->buf);
    memset(r, 0, sizeof(*r));
}

/* Clones the reaper into a new pid namespace, in the supervisor's process group before it runs
 * on (it waits for EOF on a pipe); returns its pid, or -1 with errno. */
static pid_t clone_reaper(const struct request *r)
{
    int sync[2];
    if (pipe2(sync, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        close(sync[1]);
        char c;
        while (read(sync[0], &c, 1) < 0 && errno == EINTR) {
        }
        close(sync[0]);
        reaper(r);
    }
    int e = errno;
    if (pid > 0 && setpgid(pid, caller_pgid) != 0) {
        e = errno;
        kill(pid, SIGKILL); /* reaped and reported like any child; its "pid" line is never sent */
        pid = -1;
    }
    close(sync[0]);
    close(sync[1]);
    errno = e;
    return pid;
}

/* Reads and serves one request; returns 0 when the client has gone. */
static int serve_one(int client)
{
    struct request r = { 0 };
    uint32_t len;
    int rc = receive_full(client, (char *)&len, sizeof(len), &r);
    if (rc <= 0) {
        release(&r);
        return 0;
    }
    if (len == 0 || len > MAX_REQUEST) {
        release(&r);
        reply(client, -1, "error bad request: length %u not in 1..%u\n", len, MAX_REQUEST);
        return 0; /* the stream cannot be trusted any more */
    }
    if ((r.buf = malloc(len)) == NULL) {
        release(&r);
        reply(client, -1, "error out of memory for %u bytes\n", len);
        return 0;
    }
    if (receive_full(client, r.buf, len, &r) != 1) {
        release(&r);
        return 0;
    }
    const char *bad = parse(&r, len);
    if (bad != NULL) {
        release(&r);
        reply(client, -1, "error bad request: %s\n", bad);
        return 1;
    }
    const char *what = r.new_pidns ? "clone(CLONE_NEWPID)" : "fork";
    pid_t pid = r.new_pidns ? clone_reaper(&r) : fork();
    if (pid == 0)
        child(&r);
    if (pid < 0) {
        int e = errno;
        release(&r);
        reply(client, -1, "error %s: %s\n", what, ERRSTR(e));
        return 1;
    }
    /* Our unreaped child (reaping happens only in the loop): the pidfd cannot be a reused pid. */
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    release(&r);
    if (pidfd < 0) {
        int e = errno;
        kill(pid, SIGKILL);
        reply(client, -1, "error pidfd_open: %s\n", ERRSTR(e));
        return 1;
    }
    reply(client, pidfd, "pid %d\n", pid);
    close(pidfd);
    return 1;
}

static void report_exits(int client)
{
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) != 0 || si.si_pid == 0)
            return;
        if (client >= 0)
            reply(client, -1, "exit %d %d %d\n", si.si_pid, si.si_code, si.si_status);
    }
}

/* Accepts one connection; returns it if the peer is our parent, else refuses it and returns -1. */
static int accept_client(int ls, int busy)
{
    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return -1;
    struct ucred cred;
    socklen_t clen = sizeof(cred);
    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0) {
        close(c);
        return -1;
    }
    const char *why = busy ? "another client is connected"
                    : cred.pid != getppid() || cred.uid != getuid() ? "not the supervisor" : NULL;
    if (why != NULL) {
        char line[200];
        int n = snprintf(line, sizeof(line), "error refused: peer pid %d uid %u: %s (pid %d)\n",
                         cred.pid, cred.uid, why, getppid());
        if (send(c, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
            /* nothing more to tell it */
        }
        close(c);
        return -1;
    }
    return c;
}

static int serve(const char *path)
{
    pid_t parent = getppid();
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        die("prctl(PR_SET_DUMPABLE, 0): %s", ERRSTR(errno));
    uint64_t effective, permitted;
    if (attn_capabilities(&effective, &permitted) != 0)
        die("capget: %s", ERRSTR(errno));
    server_can_ptrace = (effective & (1ULL << CAP_SYS_PTRACE)) != 0;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        die("prctl(PR_SET_PDEATHSIG): %s", ERRSTR(errno));
    if (getppid() != parent)
        return 0; /* the supervisor is already gone */
    caller_pgid = getpgrp();
    if (setpgid(0, 0) != 0)
        die("setpgid(0, 0): %s", ERRSTR(errno));
    struct sigaction ign = { .sa_handler = SIG_IGN };
    const int ignored[] = { SIGINT, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE };
    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        sigaction(ignored[i], &ign, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        die("signalfd: %s", ERRSTR(errno));

    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path))
        die("socket path %s is %zu bytes, longer than the %zu a Unix socket address holds", path, strlen(path),
            sizeof(addr.sun_path) - 1);
    strcpy(addr.sun_path, path);
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0)
        die("socket(AF_UNIX): %s", ERRSTR(errno));
    mode_t old = umask(077); /* the children get the supervisor's umask back */
    int b = bind(ls, (struct sockaddr *)&addr, sizeof(addr));
    int e = errno;
    umask(old);
    if (b != 0)
        die("bind(%s): %s", path, ERRSTR(e));
    sock_path = path;
    if (listen(ls, 4) != 0)
        die("listen(%s): %s", path, ERRSTR(errno));

    int client = -1;
    for (;;) {
        struct pollfd p[3] = { { ls, POLLIN, 0 }, { sfd, POLLIN, 0 }, { client, POLLIN, 0 } };
        int n = poll(p, client >= 0 ? 3 : 2, client >= 0 ? -1 : ACCEPT_TIMEOUT_MS);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("poll: %s", ERRSTR(errno));
        if (n == 0)
            break; /* nobody came */
        if (p[1].revents) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
            }
            report_exits(client);
        }
        if (client >= 0 && p[2].revents) {
            if (!serve_one(client))
                break;
        }
        if (p[0].revents) {
            int c = accept_client(ls, client >= 0);
            if (c >= 0) {
                client = c;
                reply(client, -1, "attenuator-exec 4 serving pid=%d\n", getpid());
                report_exits(client);
            }
        }
    }
    unlink(path);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--serve") != 0) {
        fputs("usage: attenuator-exec --serve SOCKET\n", stderr);
        return EXIT_SETUP;
    }
    return serve(argv[2]);
}
