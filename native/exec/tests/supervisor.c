/*
 * supervisor - the supervisor side of attenuator-exec's --control protocol, for tests.
 *
 *   supervisor [--deny-first] SOCKET -- ATTENUATOR-EXEC-COMMAND...
 *
 * Listens on SOCKET, spawns the command (which should pass --control SOCKET), reads the
 * announce line, checks SO_PEERCRED, takes the listener with pidfd_getfd (retrying until it
 * appears), checks that the first notification is execve from the announced pid and answers
 * CONTINUE (EPERM with --deny-first). Every later notification is printed and answered EPERM.
 * Prints "supervisor: ..." lines; exits 0 when every check held, 1 otherwise, after
 * printing "supervisor: launcher exit N" or "... signal N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

static int failed;
#define CHECK(cond, ...) do { if (!(cond)) { printf("supervisor: CHECK FAILED: " __VA_ARGS__); \
        printf(" [%s]\n", #cond); failed = 1; } } while (0)
#define DIE(...) do { printf("supervisor: FATAL: " __VA_ARGS__); printf(" (%s)\n", strerror(errno)); \
        exit(1); } while (0)

static int wait_readable(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int deny_first = argc > 1 && strcmp(argv[1], "--deny-first") == 0;
    int a = 1 + deny_first;
    if (argc < a + 3 || strcmp(argv[a + 1], "--") != 0) {
        fprintf(stderr, "usage: supervisor [--deny-first] SOCKET -- COMMAND...\n");
        return 2;
    }
    const char *sockpath = argv[a];
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sockpath);
    unlink(sockpath);
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(ls, 1) != 0)
        DIE("listen on %s", sockpath);

    pid_t child = fork();
    if (child == 0) {
        execv(argv[a + 2], argv + a + 2);
        _exit(99);
    }
    if (!wait_readable(ls, 5000))
        DIE("no connection from the launcher");
    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    struct ucred cred;
    socklen_t clen = sizeof(cred);
    if (c < 0 || getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0)
        DIE("accept / SO_PEERCRED");
    char line[128];
    size_t len = 0;
    for (ssize_t n; len < sizeof(line) - 1 && (n = read(c, line + len, sizeof(line) - 1 - len)) > 0;)
        len += (size_t)n;
    line[len] = '\0';
    close(c);
    int pid = -1, fdnum = -1;
    char expect[128];
    sscanf(line, "attenuator-exec 1 pid=%d listener=%d", &pid, &fdnum);
    snprintf(expect, sizeof(expect), "attenuator-exec 1 pid=%d listener=%d\n", pid, fdnum);
    CHECK(strcmp(line, expect) == 0, "announce line '%s'", line);
    printf("supervisor: announced listener=%d\n", fdnum);
    CHECK(cred.pid == pid && pid == child, "peer pid %d, announced %d, child %d", cred.pid, pid, child);

    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    if (pidfd < 0)
        DIE("pidfd_open");
    int lfd = -1, tries = 0;
    for (; tries < 50000; tries++) { /* the launcher installs right after the announce */
        lfd = (int)syscall(SYS_pidfd_getfd, pidfd, fdnum, 0);
        if (lfd >= 0 || errno != EBADF)
            break;
        if (wait_readable(pidfd, 0)) /* launcher exited before installing */
            break;
        usleep(100);
    }
    if (lfd < 0) {
        int st;
        waitpid(child, &st, 0);
        DIE("pidfd_getfd(%d) after %d tries; launcher status 0x%x", fdnum, tries, st);
    }
    char path[64], link[64] = "";
    snprintf(path, sizeof(path), "/proc/self/fd/%d", lfd);
    ssize_t l = readlink(path, link, sizeof(link) - 1);
    link[l < 0 ? 0 : l] = '\0';
    CHECK(strcmp(link, "anon_inode:seccomp notify") == 0, "fd %d is '%s'", fdnum, link);

    struct seccomp_notif_sizes sz;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) != 0)
        DIE("GET_NOTIF_SIZES");
    struct seccomp_notif *req = calloc(1, sz.seccomp_notif);
    struct seccomp_notif_resp *resp = calloc(1, sz.seccomp_notif_resp);
    for (int k = 0;; k++) {
        if (!wait_readable(lfd, 5000))
            DIE("no notification within 5 s");
        memset(req, 0, sz.seccomp_notif);
        if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
            if (errno == ENOENT) /* all tasks of the filter are gone */
                break;
            DIE("NOTIF_RECV");
        }
        memset(resp, 0, sz.seccomp_notif_resp);
        resp->id = req->id;
        if (k == 0) {
            CHECK(req->data.nr == SYS_execve && (int)req->pid == pid && req->data.arch == AUDIT_ARCH_X86_64,
                  "first notification nr=%d pid=%u", req->data.nr, req->pid);
            printf("supervisor: first notification: nr=%d from launcher pid: %s; answer %s\n",
                   req->data.nr, (int)req->pid == pid ? "yes" : "no", deny_first ? "EPERM" : "CONTINUE");
            if (deny_first)
                resp->error = -EPERM;
            else
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        } else {
            printf("supervisor: later notification %d: nr=%d same pid: %s; answer EPERM\n", k,
                   req->data.nr, (int)req->pid == pid ? "yes" : "no");
            resp->error = -EPERM;
        }
        if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0 && errno != ENOENT)
            DIE("NOTIF_SEND");
    }
    int st;
    waitpid(child, &st, 0);
    if (WIFEXITED(st))
        printf("supervisor: launcher exit %d\n", WEXITSTATUS(st));
    else
        printf("supervisor: launcher signal %d\n", WTERMSIG(st));
    unlink(sockpath);
    return failed;
}
