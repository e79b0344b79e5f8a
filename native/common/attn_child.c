/* attn_child.c - see attn_child.h. */
#include "attn_child.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

void attn_reset_signals(const sigset_t *mask)
{
    /* the raw call: glibc's sigaction refuses its own 32 and 33, which a JVM may ignore */
    struct { unsigned long handler, flags, restorer, mask; } dfl = { 0, 0, 0, 0 }; /* SIG_DFL */
    for (int sig = 1; sig < NSIG; sig++)
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)); /* EINVAL for KILL, STOP */
    sigprocmask(SIG_SETMASK, mask, NULL);
}

static int capget_data(struct __user_cap_header_struct *head, struct __user_cap_data_struct data[2])
{
    head->version = _LINUX_CAPABILITY_VERSION_3;
    head->pid = 0;
    return (int)syscall(SYS_capget, head, data);
}

int attn_capabilities(uint64_t *effective, uint64_t *permitted)
{
    struct __user_cap_header_struct head;
    struct __user_cap_data_struct d[2];
    if (capget_data(&head, d) != 0)
        return -1;
    *effective = (uint64_t)d[0].effective | (uint64_t)d[1].effective << 32;
    *permitted = (uint64_t)d[0].permitted | (uint64_t)d[1].permitted << 32;
    return 0;
}

#define FAIL(...) do { int e_ = errno; snprintf(what, size, __VA_ARGS__); errno = e_; return -1; } while (0)

int attn_keep_capabilities(uint64_t keep, char *what, size_t size)
{
    struct __user_cap_header_struct head;
    struct __user_cap_data_struct data[2];
    uint64_t effective, permitted;
    if (capget_data(&head, data) != 0 || attn_capabilities(&effective, &permitted) != 0)
        FAIL("capget");
    keep &= permitted;
    if (effective & (1ULL << CAP_SETPCAP)) {
        /* PR_CAPBSET_READ fails (EINVAL) past the kernel's last capability */
        for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
            if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
                FAIL("prctl(PR_CAPBSET_DROP, %d)", cap);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
        FAIL("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
    for (int i = 0; i < 2; i++) {
        uint32_t half = (uint32_t)(keep >> (32 * i));
        data[i].effective = data[i].permitted = data[i].inheritable = half;
    }
    if (syscall(SYS_capset, &head, data) != 0)
        FAIL("capset(%#llx)", (unsigned long long)keep);
    for (int cap = 0; cap < 64; cap++) {
        if ((keep & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
            FAIL("prctl(PR_CAP_AMBIENT_RAISE, %d)", cap);
    }
    return 0;
}
