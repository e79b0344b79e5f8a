/*
 * attn_child.h - the steps a launch child takes before it installs its filter, shared by the
 * fork server (attenuator-exec) and the native client (attenuator-client). Only syscalls,
 * nothing allocated: safe between fork and exec.
 */
#ifndef ATTN_CHILD_H
#define ATTN_CHILD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Every signal to SIG_DFL, the mask to *mask. */
void attn_reset_signals(const sigset_t *mask);

/* This process's effective and permitted capabilities (bit N = capability N). 0 or -1 (errno). */
int attn_capabilities(uint64_t *effective, uint64_t *permitted);

/* Keeps keep & permitted in the bounding (with CAP_SETPCAP), effective, permitted, inheritable
 * and ambient sets and no other capability. 0, or -1 with errno and the failed call written
 * into what[0..size). */
int attn_keep_capabilities(uint64_t keep, char *what, size_t size);

/* Docker's default container capabilities, what a target keeps unless told otherwise:
 * CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE
 * SYS_CHROOT KILL AUDIT_WRITE. */
#define ATTN_DOCKER_DEFAULT_CAPS 0xa80425fbULL

#endif /* ATTN_CHILD_H */
