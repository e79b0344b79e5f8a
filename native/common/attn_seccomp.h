/*
 * attn_seccomp.h - raw seccomp and fd-passing helpers shared by Attenuator's C programs.
 *
 * Plain libc + Linux UAPI, no libseccomp. Functions return -1 with errno set on failure and
 * never exit, so each program decides how to report.
 */
#ifndef ATTN_SECCOMP_H
#define ATTN_SECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* UAPI bits newer than Debian 12's linux-libc-dev (6.1). */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64) /* Linux 6.6 */
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#if defined(__x86_64__)
#define ATTN_AUDIT_ARCH AUDIT_ARCH_X86_64
#define ATTN_X32_SYSCALL_BIT 0x40000000U /* x32 ABI: nr | this bit */
#elif defined(__aarch64__)
#define ATTN_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "add the AUDIT_ARCH_* of this architecture"
#endif

/* The largest filter the kernel accepts (BPF_MAXINSNS). */
#define ATTN_MAX_INSNS 4096

/* seccomp(2) through syscall(2): glibc 2.36 has no wrapper. */
long attn_seccomp(unsigned int op, unsigned int flags, void *args);

/* Installs a classic BPF program with the given SECCOMP_FILTER_FLAG_* flags. Returns the
 * seccomp() result: a listener fd with NEW_LISTENER, else 0. NO_NEW_PRIVS is the caller's job. */
int attn_install_filter(const struct sock_filter *insns, size_t n, unsigned int flags);

/* Builds the arch-checked notify filter: foreign arch (and, on x86_64, the x32 ABI) kill the
 * process, each of nrs[0..n) returns USER_NOTIF, everything else is allowed. Writes at most
 * cap instructions into out and returns how many, or -1 (EINVAL) if they do not fit. */
int attn_build_notify_filter(const unsigned int *nrs, size_t n, struct sock_filter *out, size_t cap);

/* sendmsg() of len bytes with fds[0..nfds) in one SCM_RIGHTS message that travels with the
 * first byte; the rest of buf follows with plain writes (a stream may split it). */
int attn_send_with_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/* Receives up to len bytes and at most one SCM_RIGHTS fd (close-on-exec) from sock. *fd is
 * -1 when none came. Returns the byte count (0 at EOF) or -1. */
long attn_recv_with_fd(int sock, void *buf, size_t len, int *fd);

#endif /* ATTN_SECCOMP_H */
