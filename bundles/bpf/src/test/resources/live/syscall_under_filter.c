/*
 * syscall_under_filter FILTER ABI NR [ARG...]
 *
 * Installs FILTER (a raw struct sock_filter array, as seccomp_export_bpf writes it) with
 * NO_NEW_PRIVS, then makes one system call through ABI: "x86_64" (syscall), "x32" (syscall with
 * nr | __X32_SYSCALL_BIT) or "i386" (int $0x80, 32-bit registers). Prints "ret=R errno=E", or
 * "trap" from the SIGSYS handler (exit 3). SECCOMP_RET_KILL_* ends it with SIGSYS. After the
 * install it only uses write(2) and exit_group(2), which the filter must allow.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_sigsys(int sig)
{
    (void)sig;
    static const char msg[] = "trap\n";
    write(1, msg, sizeof(msg) - 1);
    _exit(3);
}

static long syscall64(long nr, const long *a)
{
    long ret;
    register long r10 __asm__("r10") = a[3];
    register long r8 __asm__("r8") = a[4];
    register long r9 __asm__("r9") = a[5];
    __asm__ volatile("syscall" : "=a"(ret)
                     : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static long syscall_i386(long nr, const long *a)
{
    int ret;
    __asm__ volatile("push %%rbp\n\tmov %7, %%ebp\n\tint $0x80\n\tpop %%rbp" : "=a"(ret)
                     : "a"((int)nr), "b"((int)a[0]), "c"((int)a[1]), "d"((int)a[2]), "S"((int)a[3]),
                       "D"((int)a[4]), "m"(a[5])
                     : "memory");
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s FILTER x86_64|x32|i386 NR [ARG...]\n", argv[0]);
        return 2;
    }
    static struct sock_filter prog[4096];
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t n = fread(prog, sizeof(prog[0]), 4096, f);
    fclose(f);
    long nr = strtol(argv[3], NULL, 0);
    long args[6] = { 0 };
    for (int i = 4; i < argc && i < 10; i++)
        args[i - 4] = (long)strtoull(argv[i], NULL, 0);
    signal(SIGSYS, on_sigsys);
    struct sock_fprog fprog = { .len = (unsigned short)n, .filter = prog };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
        perror("installing the filter");
        return 2;
    }
    long ret;
    if (strcmp(argv[2], "i386") == 0)
        ret = syscall_i386(nr, args);
    else
        ret = syscall64(strcmp(argv[2], "x32") == 0 ? nr | 0x40000000L : nr, args);
    char line[64];
    int len = ret < 0 && ret > -4096 ? snprintf(line, sizeof(line), "ret=-1 errno=%ld\n", -ret)
                                     : snprintf(line, sizeof(line), "ret=%ld errno=0\n", ret);
    write(1, line, (size_t)len);
    _exit(0);
}
