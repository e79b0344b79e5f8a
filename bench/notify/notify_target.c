/*
 * notify_target - the target side of the Java notification benchmark (bench/notify/run.sh).
 *
 *   notify_target DURATION_MS THINK_US
 *
 * Waits for one byte on stdin (the driver's "go", once every target is supervised), then calls
 * getppid (notified by the filter attenuator-testhelper installed) until DURATION_MS passed,
 * sleeping THINK_US between calls (0: back to back), and times every call with the vDSO clock,
 * as ../shared/bench/c-baseline/bench_notify does. Writes to stdout: one line
 * "calls=N errors=E" and then, for busy targets (THINK_US 0), the latency samples as
 * little-endian uint32 nanoseconds (the last 1M calls at most).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define CAP (1u << 20)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: notify_target DURATION_MS THINK_US\n");
        return 2;
    }
    uint64_t duration = (uint64_t)atol(argv[1]) * 1000000u;
    long think_us = atol(argv[2]);
    uint32_t *samples = calloc(CAP, sizeof(uint32_t));
    if (!samples)
        return 1;
    char go;
    if (read(0, &go, 1) != 1)
        return 1;
    struct timespec think = { think_us / 1000000, (think_us % 1000000) * 1000 };
    uint64_t start = now_ns(), calls = 0, errors = 0;
    while (now_ns() - start < duration) {
        uint64_t t0 = now_ns();
        long r = syscall(SYS_getppid);
        uint64_t d = now_ns() - t0;
        if (r < 0)
            errors++;
        samples[calls % CAP] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
        calls++;
        if (think_us)
            nanosleep(&think, NULL);
    }
    printf("calls=%llu errors=%llu\n", (unsigned long long)calls, (unsigned long long)errors);
    fflush(stdout);
    if (think_us == 0) {
        uint64_t n = calls < CAP ? calls : CAP;
        fwrite(samples, sizeof(uint32_t), n, stdout);
    }
    return 0;
}
