/*
 * loop_target - the target of bench/notify/through-run.sh: the same program under
 * `attenuator run` and under the C reference loop (c_loop.c).
 *
 *   loop_target N
 *
 * Calls getppid N times back to back and times the loop itself with the vDSO clock, so the
 * supervisor's start-up (and the target's own exec) is not counted. Prints one line:
 * "calls=N seconds=S rate=R second_half_rate=H" (calls per second over the whole loop and over its
 * second half: the difference is what the supervisor's warm-up costs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 2 || atol(argv[1]) < 2) {
        fprintf(stderr, "usage: loop_target N (N >= 2)\n");
        return 2;
    }
    long n = atol(argv[1]), errors = 0;
    uint64_t start = now_ns(), half = 0;
    for (long i = 0; i < n; i++) {
        if (i == n / 2)
            half = now_ns();
        if (syscall(SYS_getppid) < 0)
            errors++;
    }
    uint64_t end = now_ns();
    printf("calls=%ld seconds=%.6f rate=%.0f second_half_rate=%.0f errors=%ld\n", n, (end - start) / 1e9,
           n / ((end - start) / 1e9), (n - n / 2) / ((end - half) / 1e9), errors);
    return errors ? 1 : 0;
}
