/*
 * attenuator-exec - the only code between fork and exec when Attenuator launches a program
 * under a seccomp filter ("fork, prepare, exec & apply"; DESIGN.md, Exec-time application).
 *
 *   attenuator-exec --program FILE [--control SOCKET] [--keep-fd N]... -- PATH [ARG...]
 *
 * The supervisor (Java, java.lang.ProcessBuilder: no fds other than 0-2 can be passed, hence
 * a file and a socket path) starts this program. In this order, it
 *  1. reads FILE: a raw struct sock_filter array (8 bytes per instruction, what libseccomp's
 *     seccomp_export_bpf writes), 1..4096 instructions. The file is not deleted (the
 *     supervisor owns it). Bad or unreadable -> exit 125, nothing installed.
 *  2. resolves PATH like execvp (PATH search when it has no '/'; PATH from the environment,
 *     default /usr/local/bin:/usr/bin:/bin). Not found -> 127; found but not executable -> 126.
 *     Unlike execvp, a file without #! or ELF header is not retried with /bin/sh (ENOEXEC, 126).
 *  3. closes every fd except 0, 1, 2 and each --keep-fd N (which must be open; FD_CLOEXEC is
 *     cleared on it so the target really gets it).
 *  4. prctl(PR_SET_NO_NEW_PRIVS, 1).
 *  5. without --control (kernel-only mode): seccomp(SECCOMP_SET_MODE_FILTER, 0, program), then
 *     execve(resolved PATH, [PATH, ARG...], environ) at once. The program must allow execve.
 *     With --control SOCKET (supervised mode; the program returns SECCOMP_RET_USER_NOTIF for
 *     execve/execveat):
 *     a. connects an AF_UNIX SOCK_STREAM socket to SOCKET (moved to an fd >= 100, cloexec);
 *     b. N = the lowest fd number that will be free once that socket is closed: the number
 *        seccomp's NEW_LISTENER returns, as nothing else opens an fd in between;
 *     c. sends exactly one line, then closes the socket (no reply is read):
 *            attenuator-exec 1 pid=<pid> listener=<N>\n
 *        The supervisor should check the peer with SO_PEERCRED (pid equal to <pid>, its child);
 *     d. installs the program with NEW_LISTENER | WAIT_KILLABLE_RECV (without WAIT_KILLABLE_RECV
 *        if the kernel refuses it with EINVAL) and checks the listener is fd N (else exit 125);
 *     e. calls execve at once. The supervisor takes the listener with
 *        pidfd_getfd(pidfd_open(pid), N) (retrying on EBADF until it appears; it should check
 *        the fd is "anon_inode:seccomp notify"), receives the listener's first notification,
 *        checks it is execve from <pid>, and answers SECCOMP_USER_NOTIF_FLAG_CONTINUE. The
 *        listener is close-on-exec, so the target never holds it; every later execve of the
 *        target is a fresh notification the supervisor decides on its own.
 *     f. if execve returns (e.g. the supervisor answered an errno), reports it (best effort: the
 *        filter may deny the write) and exits 126 (127 for ENOENT).
 *
 * Exit status: the target's once exec'd; 125 usage, bad program or setup failure (the line
 * names the syscall and errno); 126 cannot execute; 127 not found. Errors are one line on stderr,
 * "attenuator-exec: WHAT: CAUSE". Nothing is installed unless every earlier step succeeded, and
 * nothing but execve runs under the filter, so the target cannot reuse an allowance meant for
 * the launcher. Nothing is allocated after the program is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h> /* struct dirent64 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) /* Linux 5.19 */
#endif

enum { EXIT_SETUP = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };
#define MAX_INSNS 4096    /* BPF_MAXINSNS */
#define MAX_KEEP 64
#define CONTROL_FD_MIN 100 /* keeps the control socket out of the way of the listener's number */
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

extern char **environ;

static struct sock_filter insns[MAX_INSNS + 1]; /* one spare slot detects a too-long file */
static char resolved[PATH_MAX];

static void fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void fail(int status, const char *fmt, ...)
{
    va_list ap;
    fputs("attenuator-exec: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

/* "Invalid argument (EINVAL)": setup failures name the errno exactly. */
static const char *errstr(int e)
{
    static char buf[96];
    const char *name = strerrorname_np(e);
    snprintf(buf, sizeof(buf), "%s (%s)", strerror(e), name ? name : "?");
    return buf;
}

static void usage(void)
{
    fail(EXIT_SETUP, "usage: attenuator-exec --program FILE [--control SOCKET] [--keep-fd N]... "
                     "-- PATH [ARG...]");
}

/* Step 1: returns the instruction count; the file must hold 1..MAX_INSNS whole instructions. */
static unsigned short read_program(const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(EXIT_SETUP, "%s: %s", file, strerror(errno));
    char *buf = (char *)insns;
    size_t len = 0;
    while (len < sizeof(insns)) {
        ssize_t n = read(fd, buf + len, sizeof(insns) - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(EXIT_SETUP, "%s: %s", file, strerror(errno));
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (len == 0)
        fail(EXIT_SETUP, "%s: empty program", file);
    if (len == sizeof(insns))
        fail(EXIT_SETUP, "%s: more than %d instructions", file, MAX_INSNS);
    if (len % sizeof(struct sock_filter) != 0)
        fail(EXIT_SETUP, "%s: %zu bytes is not a whole number of 8-byte instructions", file, len);
    return (unsigned short)(len / sizeof(struct sock_filter));
}

/* 0 if path is a regular file we may execute, else the errno execve would most likely give. */
static int executable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno;
    if (!S_ISREG(st.st_mode))
        return EACCES;
    return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0 ? 0 : errno;
}

/* Step 2: sets `resolved` or exits 126/127, as execvp would decide, before anything is set up. */
static void resolve(const char *cmd)
{
    int e;
    if (strchr(cmd, '/') != NULL) {
        e = strlen(cmd) < sizeof(resolved) ? executable(cmd) : ENAMETOOLONG;
        if (e != 0)
            fail(e == ENOENT || e == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "%s: %s", cmd, strerror(e));
        strcpy(resolved, cmd);
        return;
    }
    const char *path = getenv("PATH");
    int denied = 0; /* like execvp: a later match wins over an earlier unexecutable one */
    for (const char *p = path ? path : DEFAULT_PATH; *cmd != '\0';) {
        const char *end = strchrnul(p, ':');
        int dlen = (int)(end - p); /* an empty element means the current directory */
        int n = snprintf(resolved, sizeof(resolved), "%.*s%s%s", dlen, p, dlen ? "/" : "", cmd);
        if (n > 0 && (size_t)n < sizeof(resolved)) {
            e = executable(resolved);
            if (e == 0)
                return;
            if (e != ENOENT && e != ENOTDIR)
                denied = e;
        }
        if (*end == '\0')
            break;
        p = end + 1;
    }
    if (denied != 0)
        fail(EXIT_CANNOT_EXEC, "%s: %s", cmd, strerror(denied));
    fail(EXIT_NOT_FOUND, "%s: command not found", cmd);
}

/* Closes fds lo..hi; /proc/self/fd is the fallback for kernels without close_range (< 5.9),
 * read with getdents64 into a stack buffer so nothing is allocated. */
static void close_between(unsigned int lo, unsigned int hi)
{
    if (syscall(SYS_close_range, lo, hi, 0) == 0)
        return;
    if (errno != ENOSYS)
        fail(EXIT_SETUP, "close_range(%u, %u): %s", lo, hi, errstr(errno));
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        fail(EXIT_SETUP, "open(/proc/self/fd): %s", errstr(errno));
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
        fail(EXIT_SETUP, "getdents64(/proc/self/fd): %s", errstr(errno));
    close(dir);
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* Step 3: only 0, 1, 2 and the kept fds reach the target. */
static void close_fds(int *keep, size_t nkeep)
{
    qsort(keep, nkeep, sizeof(*keep), cmp_int);
    unsigned int from = 3;
    for (size_t i = 0; i < nkeep; i++) {
        if (fcntl(keep[i], F_SETFD, 0) != 0) /* also proves it is open */
            fail(EXIT_SETUP, "--keep-fd %d: %s", keep[i], strerror(errno));
        if ((unsigned int)keep[i] < from)
            continue;
        if ((unsigned int)keep[i] > from)
            close_between(from, (unsigned int)keep[i] - 1);
        from = (unsigned int)keep[i] + 1;
    }
    close_between(from, ~0U);
}

/* Steps 5a-c: returns N, the fd number the listener will get. */
static int announce(const char *sockpath)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(sockpath) >= sizeof(addr.sun_path))
        fail(EXIT_SETUP, "%s: socket path too long", sockpath);
    strcpy(addr.sun_path, sockpath);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        fail(EXIT_SETUP, "socket(AF_UNIX): %s", errstr(errno));
    if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        fail(EXIT_SETUP, "%s: connect: %s", sockpath, errstr(errno));
    int high = fcntl(s, F_DUPFD_CLOEXEC, CONTROL_FD_MIN);
    if (high < 0)
        fail(EXIT_SETUP, "fcntl(F_DUPFD_CLOEXEC): %s", errstr(errno));
    close(s);

    /* The socket's own number counts as free: it is closed before seccomp() runs. */
    int n = 0;
    while (n != high && fcntl(n, F_GETFD) >= 0)
        n++;

    char line[80];
    int len = snprintf(line, sizeof(line), "attenuator-exec 1 pid=%d listener=%d\n", getpid(), n);
    for (int off = 0; off < len;) {
        ssize_t w = send(high, line + off, (size_t)(len - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            fail(EXIT_SETUP, "%s: send: %s", sockpath, errstr(errno));
        off += (int)w;
    }
    close(high);
    return n;
}

int main(int argc, char **argv)
{
    const char *program = NULL, *control = NULL;
    int keep[MAX_KEEP];
    size_t nkeep = 0;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--program") == 0 && program == NULL) {
            program = argv[i + 1];
        } else if (strcmp(argv[i], "--control") == 0 && control == NULL) {
            control = argv[i + 1];
        } else if (strcmp(argv[i], "--keep-fd") == 0 && nkeep < MAX_KEEP) {
            char *end;
            errno = 0;
            long fd = strtol(argv[i + 1], &end, 10);
            if (errno != 0 || *end != '\0' || end == argv[i + 1] || fd < 0 || fd > INT_MAX)
                fail(EXIT_SETUP, "--keep-fd %s: not an fd number", argv[i + 1]);
            keep[nkeep++] = (int)fd;
        } else {
            usage();
        }
    }
    if (program == NULL || i + 1 >= argc)
        usage();
    char **target_argv = argv + i + 1;

    struct sock_fprog prog = { .len = read_program(program), .filter = insns };
    resolve(target_argv[0]);
    close_fds(keep, nkeep);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(EXIT_SETUP, "prctl(PR_SET_NO_NEW_PRIVS): %s", errstr(errno));

    if (control == NULL) {
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
            fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER): %s", errstr(errno));
    } else {
        int n = announce(control);
        unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
        long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                          flags | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
        if (fd < 0 && errno == EINVAL) /* kernel < 5.19; a bad program fails again below */
            fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
        if (fd < 0)
            fail(EXIT_SETUP, "seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER): %s", errstr(errno));
        if (fd != n)
            fail(EXIT_SETUP, "seccomp listener is fd %ld, announced %d", fd, n);
    }
    /* From here on only execve runs under the filter. */
    execve(resolved, target_argv, environ);
    int e = errno;
    fail(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "%s: %s", target_argv[0], strerror(e));
}
