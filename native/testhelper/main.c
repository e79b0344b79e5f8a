/*
 * attenuator-testhelper - puts a seccomp filter on itself and execs a command, for tests.
 *
 *   attenuator-testhelper [--filter FILE | --notify NR[,NR..]] [--socket PATH]
 *                         [--metadata STR] [--probe] -- CMD ARGS...
 *   attenuator-testhelper --escape DIR [PID...]
 *
 * --filter FILE   raw struct sock_filter array (what seccomp_export_bpf writes)
 * --notify NRS    built-in arch-checked filter: the listed syscall numbers go to the listener
 * --socket PATH   install with NEW_LISTENER and hand the listener to the AF_UNIX stream socket
 *                 at PATH with the OCI seccomp agent protocol, then close every local copy
 * --metadata STR  the "metadata" field of that message
 * --probe         print "NAME yes|no DETAIL" per kernel feature, found by really trying it in
 *                 forked children, and exit 0 (CMD is not needed)
 * --escape DIR    run as a confined target: try to take over the parent and each PID, to mount
 *                 on DIR and to create DIR/made, one line per attempt (escape.c), and exit 0
 *
 * Exit: CMD's status once exec'd; 127 CMD not found, 126 other exec failure, 1 setup failure,
 * 2 usage. Errors are one line on stderr.
 */
#include "attn_seccomp.h"
#include "escape.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#define PROG "attenuator-testhelper"

static void fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void fail(int status, const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    fprintf(stderr, PROG ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (e)
        fprintf(stderr, ": %s", strerror(e));
    fputc('\n', stderr);
    exit(status);
}

/* ---- filters ---------------------------------------------------------------------------- */

static size_t read_filter_file(const char *path, struct sock_filter *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(1, "open(%s)", path);
    size_t cap = ATTN_MAX_INSNS * sizeof(*out), got = 0;
    for (;;) {
        ssize_t n = read(fd, (char *)out + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(1, "read(%s)", path);
        if (n == 0)
            break;
        got += (size_t)n;
        if (got == cap) { /* anything beyond BPF_MAXINSNS is an error, not a truncation */
            char extra;
            if (read(fd, &extra, 1) != 0) {
                errno = 0;
                fail(1, "%s: more than %d instructions", path, ATTN_MAX_INSNS);
            }
            break;
        }
    }
    close(fd);
    errno = 0;
    if (got == 0 || got % sizeof(*out) != 0)
        fail(1, "%s: %zu bytes is not a non-empty array of 8-byte sock_filter", path, got);
    return got / sizeof(*out);
}

static size_t parse_notify(const char *list, struct sock_filter *out)
{
    unsigned int nrs[250];
    size_t n = 0;
    const char *p = list;
    errno = 0;
    while (*p) {
        char *end;
        unsigned long v = strtoul(p, &end, 0);
        if (end == p || (*end && *end != ',') || v > 0xffffffffUL || n == 250) {
            errno = 0;
            fail(2, "--notify: bad syscall number list '%s'", list);
        }
        nrs[n++] = (unsigned int)v;
        p = *end ? end + 1 : end;
    }
    if (n == 0)
        fail(2, "--notify: empty list");
    int len = attn_build_notify_filter(nrs, n, out, ATTN_MAX_INSNS);
    if (len < 0)
        fail(1, "building the notify filter");
    return (size_t)len;
}

/* ---- the OCI seccomp agent message ------------------------------------------------------ */

/* Appends s as a JSON string body (without quotes); returns the new length or 0 if full. */
static size_t json_escape(char *dst, size_t at, size_t cap, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char tmp[8];
        const char *w = tmp;
        if (c == '"' || c == '\\')
            snprintf(tmp, sizeof(tmp), "\\%c", c);
        else if (c < 0x20)
            snprintf(tmp, sizeof(tmp), "\\u%04x", c);
        else
            tmp[0] = (char)c, tmp[1] = 0;
        size_t l = strlen(w);
        if (at + l >= cap)
            return 0;
        memcpy(dst + at, w, l);
        at += l;
    }
    dst[at] = 0;
    return at;
}

static size_t oci_message(char *buf, size_t cap, pid_t pid, const char *metadata)
{
    char meta[4096];
    if (json_escape(meta, 0, sizeof(meta), metadata) == 0 && *metadata) {
        errno = 0;
        fail(2, "--metadata is too long");
    }
    int n = snprintf(buf, cap,
                     "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":\"%s\","
                     "\"state\":{\"ociVersion\":\"1.0.2\",\"id\":\"testhelper-%d\",\"status\":\"running\","
                     "\"pid\":%d,\"bundle\":\"\",\"annotations\":{}}}",
                     (int)pid, meta, (int)pid, (int)pid);
    if (n < 0 || (size_t)n >= cap) {
        errno = 0;
        fail(1, "agent message too long");
    }
    return (size_t)n;
}

static int connect_agent(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        fail(1, "--socket %s", path);
    }
    strcpy(sa.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        fail(1, "socket(AF_UNIX)");
    if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        fail(1, "connect(%s)", path);
    return s;
}

/* ---- --probe ------------------------------------------------------------------------------ */

static void report(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s %s ", name, ok ? "yes" : "no");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Child side of one probe: installs a notify filter on getppid (nothing else is touched, so
 * the child is otherwise free), hands the listener and its fd number to the parent, then
 * makes two notified getppid calls and reports what each returned. */
static void probe_child(int sock)
{
    long real_ppid = syscall(SYS_getppid);
    struct sock_filter prog[16];
    unsigned int nr = SYS_getppid;
    int len = attn_build_notify_filter(&nr, 1, prog, 16);
    int listener = -1, err = 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        (listener = attn_install_filter(prog, (size_t)len, SECCOMP_FILTER_FLAG_NEW_LISTENER)) < 0)
        err = errno;
    int hello[2] = { listener, err };
    if (listener < 0) {
        (void)!write(sock, hello, sizeof(hello));
        _exit(0);
    }
    /* Keep our own copy open until both calls are answered, so the parent can try pidfd_getfd
     * on it; the parent holds a copy too, so we never wait on a listener nobody answers. */
    if (attn_send_with_fds(sock, hello, sizeof(hello), &listener, 1) != 0)
        _exit(1);
    long r[3];
    r[0] = syscall(SYS_getppid) == real_ppid; /* answered with CONTINUE */
    long fd = syscall(SYS_getppid);           /* answered with an ADDFD'd fd number */
    r[1] = fd;
    r[2] = fd >= 0 && fcntl((int)fd, F_GETFD) >= 0;
    (void)!write(sock, r, sizeof(r));
    _exit(0);
}

/* Waits up to 30 s (a loaded machine can keep the child off a CPU for seconds; a call that cannot
 * come ends the child, which wakes the poll at once) for a notification, then receives it into a
 * zeroed buffer. */
static int probe_recv(int listener, struct seccomp_notif *req)
{
    struct pollfd p = { .fd = listener, .events = POLLIN };
    int n = poll(&p, 1, 30000);
    if (n == 0)
        errno = ETIMEDOUT;
    if (n <= 0)
        return -1;
    memset(req, 0, sizeof(*req)); /* RECV wants a zeroed struct since 5.5 */
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req);
}

static int read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EPIPE;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

static void probe_notify_features(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        fail(1, "socketpair");
    fflush(stdout);
    pid_t child = fork();
    if (child < 0)
        fail(1, "fork");
    if (child == 0) {
        close(sv[0]);
        probe_child(sv[1]);
    }
    close(sv[1]);
    int hello[2] = { -1, 0 }, listener = -1;
    if (attn_recv_with_fd(sv[0], hello, sizeof(hello), &listener) != (long)sizeof(hello) || listener < 0) {
        const char *why = hello[1] ? strerror(hello[1]) : "no listener from the child";
        report("user_notif", 0, "seccomp(SET_MODE_FILTER, NEW_LISTENER): %s", why);
        report("continue", 0, "needs user_notif");
        report("addfd", 0, "needs user_notif");
        report("sync_wake_up", 0, "needs user_notif");
        report("pidfd_getfd", 0, "not tried: needs user_notif");
        goto out;
    }
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;
    if (probe_recv(listener, &req) != 0 || req.data.nr != SYS_getppid) {
        report("user_notif", 0, "NOTIF_RECV: %s", strerror(errno));
        report("continue", 0, "needs user_notif");
        report("addfd", 0, "needs user_notif");
        report("sync_wake_up", 0, "needs user_notif");
        report("pidfd_getfd", 0, "not tried: needs user_notif");
        goto out;
    }
    report("user_notif", 1, "RECV got the child's getppid");

    /* pidfd_getfd: take a copy of the child's own listener and prove it is the same one by
     * asking it whether the id we just received is still pending. */
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    int dup_fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, hello[0], 0);
    if (pidfd < 0)
        report("pidfd_getfd", 0, "pidfd_open: %s", strerror(errno));
    else if (dup_fd < 0)
        report("pidfd_getfd", 0, "pidfd_getfd: %s", strerror(errno));
    else if (ioctl(dup_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) != 0)
        report("pidfd_getfd", 0, "NOTIF_ID_VALID on the copy: %s", strerror(errno));
    else
        report("pidfd_getfd", 1, "copied the child's listener; ID_VALID through the copy");
    if (dup_fd >= 0)
        close(dup_fd);
    if (pidfd >= 0)
        close(pidfd);

    /* SET_FLAGS takes the flags as the ioctl argument itself, not a pointer. */
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0)
        report("sync_wake_up", 1, "NOTIF_SET_FLAGS(USER_NOTIF_FD_SYNC_WAKE_UP) accepted");
    else
        report("sync_wake_up", 0, "NOTIF_SET_FLAGS: %s", strerror(errno));

    /* CONTINUE: the child compares the result with its real parent pid. If the kernel refuses
     * the flag, answer with a plain value so the child goes on. */
    memset(&resp, 0, sizeof(resp));
    resp.id = req.id;
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    int send_err = 0;
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0) {
        send_err = errno;
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        (void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }

    /* ADDFD: put a copy of our stdin-independent /dev/null into the child and return its number
     * as the syscall's result; the child checks that the number is an open fd. */
    int addfd_err = 0;
    if (probe_recv(listener, &req) == 0) {
        int src = open("/dev/null", O_RDONLY | O_CLOEXEC);
        struct seccomp_notif_addfd add = { .id = req.id, .flags = 0, .srcfd = (unsigned int)src, .newfd = 0, .newfd_flags = O_CLOEXEC };
        int remote = src < 0 ? -1 : ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
        addfd_err = remote < 0 ? errno : 0;
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        if (remote >= 0)
            resp.val = remote;
        else
            resp.error = -ENOSYS;
        (void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
        if (src >= 0)
            close(src);
    } else {
        addfd_err = errno;
    }
    long r[3] = { 0, -1, 0 };
    int rd = read_full(sv[0], r, sizeof(r));
    if (send_err)
        report("continue", 0, "NOTIF_SEND(FLAG_CONTINUE): %s", strerror(send_err));
    else if (rd != 0 || !r[0])
        report("continue", 0, "the child's getppid did not return its parent pid");
    else
        report("continue", 1, "child's getppid ran for real after FLAG_CONTINUE");
    if (addfd_err)
        report("addfd", 0, "NOTIF_ADDFD: %s", strerror(addfd_err));
    else if (rd != 0 || !r[2])
        report("addfd", 0, "the child did not see the added fd");
    else
        report("addfd", 1, "child saw the added fd %ld", r[1]);
out:
    if (listener >= 0)
        close(listener);
    close(sv[0]);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

/* Installs a throwaway filter with the given flags in a child; returns 0 or the errno. */
static int probe_filter_flags(unsigned int flags)
{
    pid_t child = fork();
    if (child < 0)
        fail(1, "fork");
    if (child == 0) {
        struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || attn_install_filter(&allow, 1, flags) < 0)
            _exit(errno & 0xff);
        _exit(0);
    }
    int st;
    if (waitpid(child, &st, 0) != child || !WIFEXITED(st))
        return ECHILD;
    return WEXITSTATUS(st);
}

static void probe(void)
{
    probe_notify_features();
    int e = probe_filter_flags(SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
    if (e == 0)
        report("wait_killable_recv", 1, "seccomp(NEW_LISTENER|WAIT_KILLABLE_RECV) accepted");
    else
        report("wait_killable_recv", 0, "seccomp(NEW_LISTENER|WAIT_KILLABLE_RECV): %s", strerror(e));
    /* TSYNC with NEW_LISTENER is EINVAL unless TSYNC_ESRCH is understood. */
    e = probe_filter_flags(SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
    if (e == 0)
        report("tsync_esrch", 1, "seccomp(NEW_LISTENER|TSYNC|TSYNC_ESRCH) accepted");
    else
        report("tsync_esrch", 0, "seccomp(NEW_LISTENER|TSYNC|TSYNC_ESRCH): %s", strerror(e));
    fflush(stdout);
}

/* ---- main --------------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: " PROG " [--filter FILE | --notify NR[,NR..]] [--socket PATH] [--metadata STR] [--probe] -- CMD ARGS...\n"
                    "       " PROG " --escape DIR [PID...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static struct sock_filter prog[ATTN_MAX_INSNS];
    static const struct option opts[] = {
        { "filter", required_argument, NULL, 'f' },   { "notify", required_argument, NULL, 'n' },
        { "socket", required_argument, NULL, 's' },   { "metadata", required_argument, NULL, 'm' },
        { "probe", no_argument, NULL, 'p' },          { "help", no_argument, NULL, 'h' },
        { "escape", required_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    const char *filter_file = NULL, *notify = NULL, *socket_path = NULL, *metadata = "", *escape_dir = NULL;
    int do_probe = 0, c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'f': filter_file = optarg; break;
        case 'n': notify = optarg; break;
        case 's': socket_path = optarg; break;
        case 'm': metadata = optarg; break;
        case 'p': do_probe = 1; break;
        case 'e': escape_dir = optarg; break;
        default: usage();
        }
    }
    if (do_probe) {
        probe();
        return 0;
    }
    if (escape_dir)
        return escape(escape_dir, argv + optind, argc - optind);
    if (optind >= argc || (filter_file && notify) || (socket_path && !filter_file && !notify))
        usage();

    size_t len = 0;
    if (filter_file)
        len = read_filter_file(filter_file, prog);
    else if (notify)
        len = parse_notify(notify, prog);

    if (len > 0) {
        /* Connect before installing: the filter may notify connect itself, and nobody could
         * answer that before the agent has the listener. */
        int sock = socket_path ? connect_agent(socket_path) : -1;
        char msg[8192];
        size_t msg_len = socket_path ? oci_message(msg, sizeof(msg), getpid(), metadata) : 0;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            fail(1, "prctl(PR_SET_NO_NEW_PRIVS)");
        int listener = attn_install_filter(prog, len, socket_path ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
        if (listener < 0)
            fail(1, "seccomp(SECCOMP_SET_MODE_FILTER)");
        if (socket_path) {
            if (attn_send_with_fds(sock, msg, msg_len, &listener, 1) != 0)
                fail(1, "sendmsg(%s)", socket_path);
            /* The target must never hold its own listener: if the agent died it would block
             * forever instead of seeing ENOSYS. */
            close(sock);
            close(listener);
        }
    }
    execvp(argv[optind], argv + optind);
    int e = errno;
    fail(e == ENOENT || e == ENOTDIR ? 127 : 126, "exec %s", argv[optind]);
}
