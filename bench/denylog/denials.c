/*
 * Calls mkdir(DIR/x) N times and prints "N SECONDS" (the loop alone, CLOCK_MONOTONIC), failing
 * if any call succeeded: the profile must deny it.
 * Usage: denials N DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char **argv) {
    char path[4096];
    struct timespec t0, t1;
    long n;
    if (argc != 3 || (n = atol(argv[1])) <= 0) {
        fprintf(stderr, "usage: denials N DIR\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/x", argv[2]);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        if (mkdir(path, 0700) == 0) {
            fprintf(stderr, "mkdir was allowed\n");
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld %.6f\n", n, (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
