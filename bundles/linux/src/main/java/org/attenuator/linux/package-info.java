/**
 * The Linux system calls Attenuator needs: seccomp and its notification ioctls, epoll, eventfd,
 * signalfd, pidfd, AF_UNIX sockets with SCM_RIGHTS, memfd, process memory reads and child processes,
 * and {@link org.attenuator.linux.StrictDirectory}: directories only this uid or root can change,
 * with files opened relative to them without following symbolic links.
 * <p>
 * Every fd is an owned object ({@link org.attenuator.linux.Fd}) closed exactly once; every
 * failure is a {@link org.attenuator.linux.NativeException} naming the system call and errno.
 * {@link org.attenuator.linux.KernelFeatures} probes what the running kernel supports.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.attenuator.linux;
