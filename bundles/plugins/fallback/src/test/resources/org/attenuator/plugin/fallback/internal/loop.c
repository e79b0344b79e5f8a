/*
 * A target for the fallback tests. Under the testhelper's filter (getppid and getpid notified):
 *   loop COUNTERS STOPFILE   calls getppid until STOPFILE exists; counts in the 8 x u64 file
 *                            COUNTERS: calls, 7777 (supervisor), EPERM, ENOSYS, other errno,
 *                            other values (the real parent: allow), done (1 when it stopped),
 *                            CLOCK_MONOTONIC ns of the first answer that is not the supervisor's
 *                            since its last one (0 while the supervisor answers: a takeover's
 *                            first fallback answer, for the kill -9 latency)
 *   once                     calls getpid once and prints "rc errno"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "once") == 0) {
        long rc = syscall(SYS_getpid);
        printf("%ld %d\n", rc, rc < 0 ? errno : 0);
        return 0;
    }
    if (argc != 3)
        return 2;
    int fd = open(argv[1], O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, 64) != 0)
        return 1;
    volatile uint64_t *c = mmap(NULL, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (c == MAP_FAILED)
        return 1;
    for (uint64_t i = 0;; i++) {
        if ((i & 255) == 0 && access(argv[2], F_OK) == 0)
            break;
        long rc = syscall(SYS_getppid);
        int e = errno;
        c[0]++;
        if (rc == 7777)
            c[1]++;
        else if (rc < 0 && e == EPERM)
            c[2]++;
        else if (rc < 0 && e == ENOSYS)
            c[3]++;
        else if (rc < 0)
            c[4]++;
        else
            c[5]++;
        if (rc == 7777) {
            if (c[7])
                c[7] = 0;
        } else if (!c[7]) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            c[7] = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
        }
    }
    c[6] = 1;
    return 0;
}
