/* attn_seccomp.c - see attn_seccomp.h. */
#include "attn_seccomp.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

long attn_seccomp(unsigned int op, unsigned int flags, void *args)
{
    return syscall(SYS_seccomp, op, flags, args);
}

int attn_install_filter(const struct sock_filter *insns, size_t n, unsigned int flags)
{
    if (n == 0 || n > ATTN_MAX_INSNS) {
        errno = EINVAL;
        return -1;
    }
    struct sock_fprog prog = { .len = (unsigned short)n, .filter = (struct sock_filter *)insns };
    return (int)attn_seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
}

int attn_build_notify_filter(const unsigned int *nrs, size_t n, struct sock_filter *out, size_t cap)
{
    /* Jump offsets are 8 bits, and every listed nr jumps over the rest to the notify return. */
    if (n > 250 || cap < n + 8) {
        errno = EINVAL;
        return -1;
    }
    size_t i = 0;
    /* Arch first: a foreign ABI would use other numbers and bypass the rules. */
    out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ATTN_AUDIT_ARCH, 1, 0);
    out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#ifdef ATTN_X32_SYSCALL_BIT
    /* x32 shares AUDIT_ARCH_X86_64 and is told apart only by this bit. */
    out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, ATTN_X32_SYSCALL_BIT, 0, 1);
    out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
    for (size_t k = 0; k < n; k++) /* hit: skip the remaining n-k-1 tests and the ALLOW */
        out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[k], (unsigned char)(n - k), 0);
    out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    return (int)i;
}

int attn_send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
    if (len == 0 || nfds == 0 || nfds > 16) {
        errno = EINVAL;
        return -1;
    }
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(16 * sizeof(int))];
    } u;
    memset(&u, 0, sizeof(u));
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = u.buf, .msg_controllen = CMSG_SPACE(nfds * sizeof(int)),
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
    memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    const char *p = (const char *)buf + n;
    size_t left = len - (size_t)n;
    while (left > 0) {
        ssize_t w = send(sock, p, left, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

long attn_recv_with_fd(int sock, void *buf, size_t len, int *fd)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof(u));
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = u.buf, .msg_controllen = sizeof(u.buf),
    };
    *fd = -1;
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int)))
            memcpy(fd, CMSG_DATA(c), sizeof(int));
    return n;
}
