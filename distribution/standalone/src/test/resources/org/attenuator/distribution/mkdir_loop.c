/*
 * Calls mkdir(DIR/x) in a loop until the file STOP exists, counting the results in COUNTERS
 * (5 x u64, shared mapping: calls, EACCES, allowed, another errno, the last other errno); an
 * allowed mkdir is undone.
 * Usage: mkdir_loop COUNTERS DIR STOP
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CALLS, EACCES_SEEN, ALLOWED, OTHER, OTHER_ERRNO, COUNT };

int main(int argc, char **argv) {
    char path[4096];
    if (argc != 4) {
        fprintf(stderr, "usage: mkdir_loop COUNTERS DIR STOP\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate(fd, COUNT * sizeof(uint64_t)) != 0) {
        perror(argv[1]);
        return 1;
    }
    volatile uint64_t *c = mmap(NULL, COUNT * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (c == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    snprintf(path, sizeof path, "%s/x", argv[2]);
    for (uint64_t i = 1;; i++) {
        if (mkdir(path, 0700) == 0) {
            rmdir(path);
            c[ALLOWED]++;
        } else if (errno == EACCES) {
            c[EACCES_SEEN]++;
        } else {
            c[OTHER_ERRNO] = (uint64_t)errno;
            c[OTHER]++;
        }
        c[CALLS]++;
        if (i % 256 == 0 && access(argv[3], F_OK) == 0) {
            return 0;
        }
    }
}
