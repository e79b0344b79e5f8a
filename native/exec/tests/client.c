/*
 * client - the supervisor side of attenuator-exec's --serve protocol, for tests.
 *
 *   client [--kernel] [--deny-first] [--keep FD]... [--cwd DIR] [--caps all|HEX] [--pidns new]
 *          [--malformed]
 *          [--stranger] SERVER PROGRAM -- PATH [ARG...]
 *
 * Starts SERVER --serve SOCKET as its own child, connects, and launches PATH ARG... with the
 * environment of this process, its own stdin/stdout/stderr and the program file PROGRAM sent as
 * bytes (as they are, so a bad one is the server's to refuse). Supervised unless --kernel: reads
 * the announce line from the per-launch channel, takes the listener with pidfd_getfd (retrying
 * until it appears), checks that the first notification is execve from the child's pid and
 * answers CONTINUE (EPERM with --deny-first); every later notification is printed and answered
 * EPERM. With --pidns new the announced pid is the target's, a child of the server's child (the
 * reaper): the listener is taken through a pidfd_open of it. --malformed first sends a request that does not parse; --stranger first has a process
 * that is not the server's parent connect. Prints "client: ..." lines, the last one
 * "client: exit N" or "client: signal N"; exits 0 when every check held, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

extern char **environ;
static int failed;
#define CHECK(cond, ...) do { if (!(cond)) { printf("client: CHECK FAILED: " __VA_ARGS__); \
        printf(" [%s]\n", #cond); failed = 1; } } while (0)
#define DIE(...) do { printf("client: FATAL: " __VA_ARGS__); printf(" (%s)\n", strerror(errno)); \
        exit(1); } while (0)

static char dir[] = "/tmp/attn-client-XXXXXX";
static pid_t server = -1;
static int srv = -1;

/* At every exit: close the connection (the server ends with its client), reap it, remove the dir. */
static void cleanup(void)
{
    if (server <= 0)
        return; /* not the client process (a forked stranger), or nothing started */
    if (srv >= 0)
        close(srv);
    int st;
    if (waitpid(server, &st, 0) == server && srv >= 0)
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "server status 0x%x", st);
    char sock[64];
    snprintf(sock, sizeof(sock), "%s/serve.sock", dir);
    CHECK(access(sock, F_OK) != 0, "server removed its socket");
    rmdir(dir);
}

/* How long a wait on the server or a target allows: a loaded 2-core machine can keep them off a CPU for seconds. */
#define PATIENCE_MS 30000

static int wait_readable(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static int connect_to(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    for (int i = 0; i < PATIENCE_MS; i++) {
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0)
            return s;
        close(s);
        usleep(1000);
    }
    DIE("connect %s", path);
}

/* One line from the server; *fd gets an fd that came with it (or -1). */
static void read_line(int s, char *line, size_t size, int *fd)
{
    size_t len = 0;
    if (fd)
        *fd = -1;
    while (len < size - 1) {
        char ctl[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { line + len, 1 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
        if (!wait_readable(s, PATIENCE_MS))
            DIE("no line from the server");
        ssize_t n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
        if (n <= 0)
            DIE("server connection ended");
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        if (c && c->cmsg_type == SCM_RIGHTS && fd)
            memcpy(fd, CMSG_DATA(c), sizeof(int));
        if (line[len++] == '\n')
            break;
    }
    line[len] = '\0';
}

static void put(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(buf + *len, s, n);
    *len += n;
}

/* The PPid: line of /proc/PID/status, -1 when unreadable. */
static int parent_of(int pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strstr(buf, "\nPPid:");
    return p ? atoi(p + 6) : -1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int kernel = 0, deny_first = 0, malformed = 0, stranger = 0, keep[16], nkeep = 0;
    const char *mode = NULL; /* --mode: the request's MODE verbatim (default from --kernel) */
    const char *cwd = NULL;
    const char *caps = "all"; /* --caps: the request's CAPS verbatim */
    const char *pidns = "shared"; /* --pidns: the request's PIDNS verbatim */
    int a = 1;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0 && argv[a][2]; a++) {
        if (!strcmp(argv[a], "--kernel")) kernel = 1;
        else if (!strcmp(argv[a], "--mode") && a + 1 < argc) mode = argv[++a];
        else if (!strcmp(argv[a], "--deny-first")) deny_first = 1;
        else if (!strcmp(argv[a], "--malformed")) malformed = 1;
        else if (!strcmp(argv[a], "--stranger")) stranger = 1;
        else if (!strcmp(argv[a], "--keep") && a + 1 < argc) keep[nkeep++] = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--cwd") && a + 1 < argc) cwd = argv[++a];
        else if (!strcmp(argv[a], "--caps") && a + 1 < argc) caps = argv[++a];
        else if (!strcmp(argv[a], "--pidns") && a + 1 < argc) pidns = argv[++a];
        else break;
    }
    if (argc < a + 4 || strcmp(argv[a + 2], "--") != 0) {
        fprintf(stderr, "usage: client [options] SERVER PROGRAM -- PATH [ARG...]\n");
        return 2;
    }
    char sock[64], here[4096];
    if (!mkdtemp(dir))
        DIE("mkdtemp");
    snprintf(sock, sizeof(sock), "%s/serve.sock", dir);
    server = fork();
    if (server == 0) {
        execl(argv[a], argv[a], "--serve", sock, (char *)NULL);
        _exit(99);
    }
    if (stranger) { /* a child of ours is not the server's parent */
        pid_t s = fork();
        if (s == 0) {
            server = -1; /* no cleanup in this process */
            char line[256];
            int c = connect_to(sock);
            read_line(c, line, sizeof(line), NULL);
            printf("client: stranger got: %s", line);
            _exit(0);
        }
        waitpid(s, NULL, 0);
    }
    atexit(cleanup);
    srv = connect_to(sock);
    char line[1024];
    read_line(srv, line, sizeof(line), NULL);
    char expect[64];
    snprintf(expect, sizeof(expect), "attenuator-exec 4 serving pid=%d\n", server);
    CHECK(strcmp(line, expect) == 0, "greeting '%s'", line);
    if (malformed) {
        uint32_t len = 6;
        if (write(srv, &len, 4) != 4 || write(srv, "hello", 6) != 6)
            DIE("write");
        read_line(srv, line, sizeof(line), NULL);
        printf("client: malformed: %s", line);
    }

    /* the request */
    static char req[1 << 20];
    size_t len = 4;
    put(req, &len, "exec");
    put(req, &len, mode ? mode : kernel ? "kernel" : "supervised");
    put(req, &len, caps);
    put(req, &len, pidns);
    put(req, &len, argv[a + 3]);
    put(req, &len, cwd ? cwd : getcwd(here, sizeof(here)));
    int targc = argc - (a + 3);
    char num[16];
    snprintf(num, sizeof(num), "%d", targc);
    put(req, &len, num);
    for (int i = 0; i < targc; i++)
        put(req, &len, argv[a + 3 + i]);
    int envc = 0;
    while (environ[envc])
        envc++;
    snprintf(num, sizeof(num), "%d", envc);
    put(req, &len, num);
    for (int i = 0; i < envc; i++)
        put(req, &len, environ[i]);
    int pf = open(argv[a + 1], O_RDONLY);
    ssize_t plen = pf < 0 ? 0 : read(pf, req + len, sizeof(req) - len);
    len += plen > 0 ? (size_t)plen : 0;
    uint32_t body = (uint32_t)(len - 4);
    memcpy(req, &body, 4);
    int chan[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) != 0)
        DIE("socketpair");
    int fds[20] = { chan[1], 0, 1, 2 };
    for (int i = 0; i < nkeep; i++)
        fds[4 + i] = keep[i];
    char ctl[CMSG_SPACE(sizeof(fds))];
    memset(ctl, 0, sizeof(ctl));
    struct iovec iov = { req, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)(4 + nkeep)) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)(4 + nkeep));
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)(4 + nkeep));
    if (sendmsg(srv, &m, 0) != (ssize_t)len)
        DIE("sendmsg");
    close(chan[1]);

    int pidfd;
    read_line(srv, line, sizeof(line), &pidfd);
    int pid = -1;
    if (sscanf(line, "pid %d", &pid) != 1) {
        printf("client: %s", line);
        exit(failed);
    }
    CHECK(pidfd >= 0, "no pidfd with '%s'", line);
    int spawned = pid; /* the server's child, which the exit report is about */
    if (!kernel) {
        char ann[128];
        size_t al = 0;
        for (ssize_t n; al < sizeof(ann) - 1 && (al == 0 || ann[al - 1] != '\n') &&
                        (n = read(chan[0], ann + al, sizeof(ann) - 1 - al)) > 0;)
            al += (size_t)n;
        ann[al] = '\0';
        int apid = -1, fdnum = -1;
        sscanf(ann, "attenuator-exec 1 pid=%d listener=%d", &apid, &fdnum);
        snprintf(expect, sizeof(expect), "attenuator-exec 1 pid=%d listener=%d\n", apid, fdnum);
        int reaped = strcmp(pidns, "new") == 0;
        CHECK(strcmp(ann, expect) == 0 && (reaped ? parent_of(apid) == pid : apid == pid),
              "announce line '%s' (pid %d)", ann, pid);
        if (reaped) { /* the listener is the target's, the reaper's child */
            close(pidfd);
            pidfd = (int)syscall(SYS_pidfd_open, apid, 0);
            CHECK(pidfd >= 0, "pidfd_open(%d)", apid);
            printf("client: announced a child of the server's child\n");
            pid = apid;
        }
        printf("client: announced listener=%d\n", fdnum);
        int lfd = -1, tries = 0;
        for (; tries < PATIENCE_MS * 10 && fdnum >= 0; tries++) {
            lfd = (int)syscall(SYS_pidfd_getfd, pidfd, fdnum, 0);
            if (lfd >= 0 || errno != EBADF || wait_readable(pidfd, 0))
                break;
            usleep(100);
        }
        if (lfd >= 0) {
            char path[64], link[64] = "";
            snprintf(path, sizeof(path), "/proc/self/fd/%d", lfd);
            ssize_t l = readlink(path, link, sizeof(link) - 1);
            link[l < 0 ? 0 : l] = '\0';
            CHECK(strcmp(link, "anon_inode:seccomp notify") == 0, "fd %d is '%s'", fdnum, link);
            struct seccomp_notif_sizes sz;
            if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) != 0)
                DIE("GET_NOTIF_SIZES");
            struct seccomp_notif *rq = calloc(1, sz.seccomp_notif);
            struct seccomp_notif_resp *rs = calloc(1, sz.seccomp_notif_resp);
            for (int k = 0;; k++) {
                if (!wait_readable(lfd, PATIENCE_MS))
                    DIE("no notification within %d s", PATIENCE_MS / 1000);
                memset(rq, 0, sz.seccomp_notif);
                if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, rq) != 0) {
                    if (errno == ENOENT)
                        break;
                    DIE("NOTIF_RECV");
                }
                memset(rs, 0, sz.seccomp_notif_resp);
                rs->id = rq->id;
                if (k == 0) {
                    CHECK(rq->data.nr == SYS_execve && (int)rq->pid == pid && rq->data.arch == AUDIT_ARCH_X86_64,
                          "first notification nr=%d pid=%u", rq->data.nr, rq->pid);
                    printf("client: first notification: nr=%d from the child: %s; answer %s\n", rq->data.nr,
                           (int)rq->pid == pid ? "yes" : "no", deny_first ? "EPERM" : "CONTINUE");
                    if (deny_first)
                        rs->error = -EPERM;
                    else
                        rs->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                } else {
                    printf("client: later notification %d: nr=%d same pid: %s; answer EPERM\n", k,
                           rq->data.nr, (int)rq->pid == pid ? "yes" : "no");
                    rs->error = -EPERM;
                }
                if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, rs) != 0 && errno != ENOENT)
                    DIE("NOTIF_SEND");
            }
        }
    }
    char b;
    CHECK(read(chan[0], &b, 1) == 0, "the channel ends at exec");
    int rpid = -1, code = -1, st = -1;
    read_line(srv, line, sizeof(line), NULL);
    CHECK(sscanf(line, "exit %d %d %d", &rpid, &code, &st) == 3 && rpid == spawned, "exit report '%s'", line);
    if (code == CLD_EXITED)
        printf("client: exit %d\n", st);
    else
        printf("client: signal %d\n", st);
    cleanup(); /* prints its CHECKs before the status is decided */
    server = -1;
    return failed;
}
