/*
 * probe - makes raw syscalls (no arguments) for the supervisor's tests and prints what they returned.
 *
 *   probe once NR...        each NR once: "NR v=VALUE" or "NR e=ERRNO" per line
 *   probe loop COUNT NR     COUNT calls of NR, then one "v=VALUE N" / "e=ERRNO N" line per distinct result
 *   probe stdin NR          one call of NR per line read on stdin, one result line each
 *   probe hold NR FD        one call, its line, wait for EOF on FD, one more call, its line
 *   probe thread NR         one call from a second thread (not the thread-group leader), its line
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static void call(long nr, long *value, int *err)
{
    errno = 0;
    long r = syscall(nr, 0, 0, 0, 0, 0, 0);
    *err = r == -1 ? errno : 0;
    *value = r;
}

static void print_one(long nr)
{
    long v;
    int e;
    call(nr, &v, &e);
    if (e)
        printf("%ld e=%d\n", nr, e);
    else
        printf("%ld v=%ld\n", nr, v);
    fflush(stdout);
}

static void *thread_main(void *nr)
{
    print_one((long) nr);
    return NULL;
}

struct result { long value; int err; long count; };

static void loop(long count, long nr)
{
    struct result seen[64];
    int distinct = 0;
    for (long i = 0; i < count; i++) {
        long v;
        int e;
        call(nr, &v, &e);
        int k;
        for (k = 0; k < distinct; k++)
            if (seen[k].value == v && seen[k].err == e)
                break;
        if (k == distinct) {
            if (distinct == 64) {
                fprintf(stderr, "probe: too many distinct results\n");
                exit(1);
            }
            seen[distinct++] = (struct result){ v, e, 0 };
        }
        seen[k].count++;
    }
    for (int k = 0; k < distinct; k++) {
        if (seen[k].err)
            printf("e=%d %ld\n", seen[k].err, seen[k].count);
        else
            printf("v=%ld %ld\n", seen[k].value, seen[k].count);
    }
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "once") == 0) {
        for (int i = 2; i < argc; i++)
            print_one(atol(argv[i]));
    } else if (argc == 4 && strcmp(argv[1], "loop") == 0) {
        loop(atol(argv[2]), atol(argv[3]));
    } else if (argc == 3 && strcmp(argv[1], "stdin") == 0) {
        char line[256];
        while (fgets(line, sizeof(line), stdin))
            print_one(atol(argv[2]));
    } else if (argc == 4 && strcmp(argv[1], "hold") == 0) {
        print_one(atol(argv[2]));
        char c;
        while (read(atoi(argv[3]), &c, 1) > 0)
            ;
        print_one(atol(argv[2]));
    } else if (argc == 3 && strcmp(argv[1], "thread") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_main, (void *) atol(argv[2])) != 0) {
            fprintf(stderr, "probe: pthread_create failed\n");
            return 1;
        }
        pthread_join(t, NULL);
    } else {
        fprintf(stderr, "usage: probe once NR... | loop COUNT NR | stdin NR | hold NR FD | thread NR\n");
        return 2;
    }
    return 0;
}
