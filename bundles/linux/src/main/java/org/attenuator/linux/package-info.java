/**
 * The Linux system calls Attenuator needs: seccomp and its notification ioctls, epoll, eventfd,
 * pidfd, AF_UNIX sockets with SCM_RIGHTS, memfd, process memory reads and child processes.
 * <p>
 * Every fd is an owned object ({@link org.attenuator.linux.Fd}) closed exactly once; every
 * failure is a {@link org.attenuator.linux.NativeException} naming the system call and errno.
 * {@link org.attenuator.linux.KernelFeatures} probes what the running kernel supports.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.attenuator.linux;
