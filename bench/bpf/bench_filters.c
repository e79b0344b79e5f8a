/*
 * bench_filters OURS.bpf LIBSECCOMP.bpf [-n calls] [-r rounds]
 *
 * Per-syscall cost under two prebuilt filters (raw struct sock_filter arrays), side by side in
 * one run: each measurement runs in a fresh child that installs one filter (NO_NEW_PRIVS +
 * seccomp(2)), warms up and reports its fastest batch in ns/call; rounds interleave the filters
 * and a no-filter baseline, and the table gives medians over rounds and ours/libseccomp ratios.
 * Calls: getppid (allowed, the kernel's bitmap cache decides), personality(0xffffffff) (allowed
 * after an argument check), tuxcall (unknown, denied with EPERM).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct filter { const char *name; struct sock_filter *prog; unsigned short len; };
struct test { const char *name; long nr; long arg0; long expect; };

static const struct test tests[] = {
    { "getppid (allowed, cached)", SYS_getppid, 0, 0 },
    { "personality(-1) (argument check)", SYS_personality, 0xffffffffL, 0 },
    { "tuxcall (denied, EPERM)", SYS_tuxcall, 0, -EPERM },
};
#define N_TESTS (sizeof(tests) / sizeof(tests[0]))

static void die(const char *what) { perror(what); exit(2); }

static struct filter load(const char *name, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    struct filter flt = { name, calloc(4096, sizeof(struct sock_filter)), 0 };
    flt.len = (unsigned short)fread(flt.prog, sizeof(struct sock_filter), 4096, f);
    fclose(f);
    return flt;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long raw1(long nr, long a0)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0) : "rcx", "r11", "memory");
    return ret;
}

static double time_calls(const struct test *t, long n)
{
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++)
        raw1(t->nr, t->arg0);
    return (double)(now_ns() - t0) / (double)n;
}

/* ns/call in a fresh child under filter f (NULL: none) */
static double measure(const struct filter *f, const struct test *t, long n)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        if (f) {
            struct sock_fprog prog = { f->len, f->prog };
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
                die("seccomp");
            long r = raw1(t->nr, t->arg0);
            if (t->expect < 0 ? r != t->expect : r < 0)
                _exit(3);
        }
        time_calls(t, n / 10);
        double best = 1e30;
        for (int b = 0; b < 5; b++) {
            double v = time_calls(t, n);
            best = v < best ? v : best;
        }
        if (write(pfd[1], &best, sizeof(best)) != sizeof(best))
            _exit(2);
        _exit(0);
    }
    close(pfd[1]);
    double v = -1;
    if (read(pfd[0], &v, sizeof(v)) != sizeof(v))
        v = -1;
    close(pfd[0]);
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s under %s: unexpected result\n", t->name, f ? f->name : "none");
        exit(2);
    }
    return v;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long n = 200000;
    int rounds = 11;
    if (argc < 3) {
        fprintf(stderr, "usage: %s OURS.bpf LIBSECCOMP.bpf [-n calls] [-r rounds]\n", argv[0]);
        return 2;
    }
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            n = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "-r"))
            rounds = atoi(argv[i + 1]);
    }
    struct filter filters[2] = { load("attenuator", argv[1]), load("libseccomp", argv[2]) };
    double res[N_TESTS][3][64];
    for (int r = 0; r < rounds && r < 64; r++)
        for (size_t t = 0; t < N_TESTS; t++) {
            res[t][0][r] = measure(NULL, &tests[t], n);
            res[t][1][r] = measure(&filters[0], &tests[t], n);
            res[t][2][r] = measure(&filters[1], &tests[t], n);
        }
    printf("instructions: attenuator %u, libseccomp %u; %ld calls x 5 batches, %d rounds, medians in ns/call\n",
           filters[0].len, filters[1].len, n, rounds);
    printf("%-34s %9s %11s %11s %8s %18s\n", "call", "no filter", "attenuator", "libseccomp", "ratio",
           "filter cost ratio");
    for (size_t t = 0; t < N_TESTS; t++) {
        double m[3];
        for (int k = 0; k < 3; k++) {
            qsort(res[t][k], (size_t)rounds, sizeof(double), cmp);
            m[k] = res[t][k][rounds / 2];
        }
        printf("%-34s %9.1f %11.1f %11.1f %8.2f %18.2f\n", tests[t].name, m[0], m[1], m[2], m[1] / m[2],
               (m[1] - m[0]) / (m[2] - m[0]));
    }
    return 0;
}
