/*
 * attenuator-testhelper --escape DIR [PID...]: what a confined target tries against the
 * processes that confine it, for tests. The targets are its parent (the fork server) and each
 * PID (the supervisor). Per target, one line per attempt, "WHAT PID ok" or "WHAT PID -1 ENAME":
 *   ptrace-attach   PTRACE_ATTACH; when it works (x86_64), the target is made to mkdir DIR/made
 *                   ("inject-mkdir PID RESULT" follows: the syscall's return value)
 *   ptrace-seize    PTRACE_SEIZE
 *   proc-mem        open("/proc/PID/mem", O_RDWR)
 *   pidfd-getfd     pidfd_open, then pidfd_getfd of its fd 0, 1 or 2
 * then, as itself: "mount DIR -1 ENAME" (a tmpfs on DIR, unmounted again if it worked) and
 * "mkdir DIR/made ...". Each ptrace attempt runs in a child of its own, so that the tracer's
 * exit detaches whatever it got. Exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "escape.h"

static const char *ename(int e)
{
    const char *s = strerrorname_np(e);
    return s ? s : "?";
}

static void result(const char *what, long pid, long rc, int e)
{
    if (rc < 0)
        printf("%s %ld -1 %s\n", what, pid, ename(e));
    else
        printf("%s %ld ok\n", what, pid);
    fflush(stdout);
}

/* In the stopped tracee: mkdir(path, 0755) through the syscall instruction it stopped after. */
static void inject_mkdir(pid_t pid, const char *path)
{
#if defined(__x86_64__)
    struct user_regs_struct saved, r;
    if (ptrace(PTRACE_GETREGS, pid, 0, &saved) != 0) {
        result("inject-mkdir", pid, -1, errno);
        return;
    }
    long insn = ptrace(PTRACE_PEEKTEXT, pid, (void *)(saved.rip - 2), 0);
    if ((insn & 0xffff) != 0x050f) { /* not stopped right after a syscall instruction */
        printf("inject-mkdir %d -1 not-after-syscall\n", pid);
        return;
    }
    unsigned long at = (saved.rsp - 8192) & ~15UL; /* below the red zone */
    size_t len = strlen(path) + 1;
    for (size_t off = 0; off < len; off += sizeof(long)) {
        long word = 0;
        memcpy(&word, path + off, len - off < sizeof(long) ? len - off : sizeof(long));
        ptrace(PTRACE_POKEDATA, pid, (void *)(at + off), (void *)word);
    }
    r = saved;
    r.rip = saved.rip - 2;
    r.rax = SYS_mkdir;
    r.orig_rax = (unsigned long)-1;
    r.rdi = at;
    r.rsi = 0755;
    int st;
    if (ptrace(PTRACE_SETREGS, pid, 0, &r) != 0 || ptrace(PTRACE_SINGLESTEP, pid, 0, 0) != 0
        || waitpid(pid, &st, __WALL) != pid || ptrace(PTRACE_GETREGS, pid, 0, &r) != 0) {
        result("inject-mkdir", pid, -1, errno);
        return;
    }
    printf("inject-mkdir %d %lld\n", pid, (long long)r.rax);
    ptrace(PTRACE_SETREGS, pid, 0, &saved);
#else
    (void)path;
    printf("inject-mkdir %d -1 not-x86_64\n", pid);
#endif
}

static void try_ptrace(pid_t pid, int seize, const char *path)
{
    pid_t c = fork();
    if (c != 0) {
        waitpid(c, NULL, 0);
        return;
    }
    long rc = ptrace(seize ? PTRACE_SEIZE : PTRACE_ATTACH, pid, 0, 0);
    result(seize ? "ptrace-seize" : "ptrace-attach", pid, rc, errno);
    int st;
    if (rc == 0 && !seize && waitpid(pid, &st, __WALL) == pid) {
        inject_mkdir(pid, path);
        ptrace(PTRACE_DETACH, pid, 0, 0);
    }
    fflush(stdout);
    _exit(0);
}

static void try_process(pid_t pid, const char *made)
{
    try_ptrace(pid, 0, made);
    try_ptrace(pid, 1, made);
    char mem[64];
    snprintf(mem, sizeof(mem), "/proc/%d/mem", pid);
    int fd = open(mem, O_RDWR | O_CLOEXEC);
    result("proc-mem", pid, fd, errno);
    if (fd >= 0)
        close(fd);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        result("pidfd-getfd", pid, -1, errno);
        return;
    }
    long got = -1;
    int e = EBADF;
    for (int n = 0; n < 3 && got < 0 && e == EBADF; n++) {
        got = syscall(SYS_pidfd_getfd, pidfd, n, 0);
        e = errno;
    }
    result("pidfd-getfd", pid, got, e);
    if (got >= 0)
        close((int)got);
    close(pidfd);
}

int escape(const char *dir, char **pids, int npids)
{
    char made[4096];
    snprintf(made, sizeof(made), "%s/made", dir);
    setvbuf(stdout, NULL, _IOLBF, 0);
    try_process(getppid(), made);
    for (int i = 0; i < npids; i++)
        try_process((pid_t)atoi(pids[i]), made);
    int rc = mount("attenuator-escape", dir, "tmpfs", 0, NULL);
    result("mount", 0, rc, errno);
    if (rc == 0)
        umount2(dir, MNT_DETACH);
    rc = mkdir(made, 0755);
    result("mkdir", 0, rc, errno);
    return 0;
}
