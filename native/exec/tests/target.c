/*
 * target - the program the attenuator-exec tests launch; built static, so no loader runs
 * before main and main's first act shows the filter state the program started with.
 *
 *   target [getppid | int80 | x32 | fds | exec PATH]...
 *
 * Prints the Seccomp: and NoNewPrivs: lines of /proc/self/status first, then one line per
 * action: "getppid ok" or "getppid -1 ENAME", "fds 0 1 2" (plus "fd N -> LINK" per fd),
 * "execve -1 ENAME". int80 and x32 call getppid through the i386 / x32 ABI and should not
 * come back (SIGSYS); if they do they print what they got.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

extern char **environ;

static const char *ename(int e)
{
    const char *s = strerrorname_np(e);
    return s ? s : "?";
}

static void status(void)
{
    char buf[8192];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (n < 0) {
        printf("status unreadable %s\n", ename(errno));
        return;
    }
    close(fd);
    buf[n] = '\0';
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "Seccomp:", 8) == 0 || strncmp(line, "NoNewPrivs:", 11) == 0)
            printf("%s\n", line);
}

static void fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int seen[256], n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd != dirfd(d) && n < 256)
            seen[n++] = fd;
    }
    if (d)
        closedir(d);
    for (int i = 1; i < n; i++) /* sort for stable output */
        for (int j = i; j > 0 && seen[j - 1] > seen[j]; j--) {
            int t = seen[j]; seen[j] = seen[j - 1]; seen[j - 1] = t;
        }
    printf("fds");
    for (int i = 0; i < n; i++)
        printf(" %d", seen[i]);
    printf("\n");
    for (int i = 0; i < n; i++) {
        char path[64], link[256];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", seen[i]);
        ssize_t l = readlink(path, link, sizeof(link) - 1);
        link[l < 0 ? 0 : l] = '\0';
        printf("fd %d -> %s\n", seen[i], link);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    status();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "getppid") == 0) {
            long r = syscall(SYS_getppid);
            if (r < 0)
                printf("getppid -1 %s\n", ename(errno));
            else
                printf("getppid ok\n");
        } else if (strcmp(argv[i], "int80") == 0) {
            long r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(64L) : "memory", "r8", "r9", "r10", "r11");
            printf("int80 returned %ld\n", r);
        } else if (strcmp(argv[i], "x32") == 0) {
            long r = syscall(SYS_getppid | 0x40000000L);
            printf("x32 returned %ld %s\n", r, r < 0 ? ename(errno) : "");
        } else if (strcmp(argv[i], "fds") == 0) {
            fds();
        } else if (strcmp(argv[i], "exec") == 0 && i + 1 < argc) {
            char *args[] = { argv[i + 1], NULL };
            execve(argv[i + 1], args, environ);
            printf("execve -1 %s\n", ename(errno));
            i++;
        } else {
            printf("unknown action %s\n", argv[i]);
            return 2;
        }
    }
    return 0;
}
