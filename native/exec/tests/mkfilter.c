/*
 * mkfilter - writes a raw struct sock_filter file for the attenuator-exec tests.
 *
 *   mkfilter OUT [RULE...]      RULE: errno:NR:ERRNO | kill:NR | notify:NR | pad:TOTAL
 *
 * The program checks the arch first (not x86_64 -> KILL_PROCESS; the x32 bit -> KILL_PROCESS),
 * then each rule in order (two instructions each), pads with no-op jumps up to TOTAL
 * instructions if asked, and allows everything else.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static struct sock_filter p[8192];
static size_t n;

static void emit(struct sock_filter f) { p[n++] = f; }

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkfilter OUT [errno:NR:E|kill:NR|notify:NR|pad:TOTAL]...\n");
        return 2;
    }
    size_t total = 0;
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
    emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    for (int i = 2; i < argc; i++) {
        unsigned int nr, e;
        unsigned int action;
        if (sscanf(argv[i], "errno:%u:%u", &nr, &e) == 2)
            action = SECCOMP_RET_ERRNO | (e & SECCOMP_RET_DATA);
        else if (sscanf(argv[i], "kill:%u", &nr) == 1)
            action = SECCOMP_RET_KILL_PROCESS;
        else if (sscanf(argv[i], "notify:%u", &nr) == 1)
            action = SECCOMP_RET_USER_NOTIF;
        else if (sscanf(argv[i], "pad:%zu", &total) == 1 && total < 8000)
            continue;
        else {
            fprintf(stderr, "mkfilter: bad rule %s\n", argv[i]);
            return 2;
        }
        emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
        emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
    }
    while (n + 1 < total)
        emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0));
    emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    FILE *f = fopen(argv[1], "wb");
    if (f == NULL || fwrite(p, sizeof(p[0]), n, f) != n || fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
