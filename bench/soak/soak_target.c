/*
 * The soak's target, run under attenuator-testhelper's filter (getppid notified) and handed to
 * the agent.
 *   soak_target STATS STOPFILE   calls getppid until STOPFILE exists; STATS is a shared file of
 *                                u64: [0] calls, [1] ENOSYS, [2] other errors (EPERM is the
 *                                agent's answer and counts as answered), [3..] a latency histogram
 *                                in microseconds, one bucket per us up to BUCKETS-1 (the last
 *                                bucket holds everything slower)
 *   soak_target --calls N        calls getppid N times; exit 0, or 3 if any call got ENOSYS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS 4096
#define HEADER 3

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--calls") == 0) {
        long n = strtol(argv[2], NULL, 10);
        for (long i = 0; i < n; i++)
            if (syscall(SYS_getppid) < 0 && errno == ENOSYS)
                return 3;
        return 0;
    }
    if (argc != 3)
        return 2;
    size_t size = (HEADER + BUCKETS) * sizeof(uint64_t);
    int fd = open(argv[1], O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
        return 1;
    volatile uint64_t *s = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (s == MAP_FAILED)
        return 1;
    for (uint64_t i = 0;; i++) {
        if ((i & 1023) == 0 && access(argv[2], F_OK) == 0)
            return 0;
        uint64_t t0 = now_ns();
        long rc = syscall(SYS_getppid);
        int e = errno;
        uint64_t us = (now_ns() - t0) / 1000;
        s[0]++;
        if (rc < 0 && e == ENOSYS)
            s[1]++;
        else if (rc < 0 && e != EPERM)
            s[2]++;
        s[HEADER + (us < BUCKETS ? us : BUCKETS - 1)]++;
    }
}
