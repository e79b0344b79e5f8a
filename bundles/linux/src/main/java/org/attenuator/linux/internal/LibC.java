package org.attenuator.linux.internal;

import java.nio.ByteBuffer;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions Attenuator calls, mirroring their C prototypes. Pointers to structs are
 * passed as addresses ({@code long}) of native memory the caller owns, so the hot path does not
 * marshal. errno is saved by jnr-ffi right after each call; read it with {@link Native#errno()}.
 * <p>
 * Public only because jnr-ffi generates the implementation in a class loader below this
 * interface's; the package is not exported.
 */
public interface LibC {
    // fds and files
    int close(int fd);
    long read(int fd, @Out ByteBuffer buf, long count);
    long write(int fd, @In ByteBuffer buf, long count);
    long pread(int fd, @Out ByteBuffer buf, long count, long offset);
    long read(int fd, long buf, long count);
    long write(int fd, long buf, long count);
    int open(String path, int flags, int mode);
    int fcntl(int fd, int cmd, long arg);
    int fchmod(int fd, int mode);
    int statx(int dirfd, String path, int flags, int mask, long statxbuf);
    int chmod(String path, int mode);
    int dup3(int oldfd, int newfd, int flags);
    int pipe2(@Out int[] fds, int flags);

    // raw system calls: every argument is a register value or an address
    long syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

    int ioctl(int fd, long request, long arg);
    int prctl(int option, long a2, long a3, long a4, long a5);

    // epoll and eventfd
    int epoll_create1(int flags);
    int epoll_ctl(int epfd, int op, int fd, long event);
    int epoll_wait(int epfd, long events, int maxevents, int timeout);
    int eventfd(int initval, int flags);
    int poll(long fds, long nfds, int timeout);

    // AF_UNIX sockets
    int socket(int domain, int type, int protocol);
    int socketpair(int domain, int type, int protocol, @Out int[] sv);
    int bind(int fd, long addr, int len);
    int listen(int fd, int backlog);
    int accept4(int fd, long addr, long lenPtr, int flags);
    int connect(int fd, long addr, int len);
    long sendmsg(int fd, long msg, int flags);
    long recvmsg(int fd, long msg, int flags);
    int getsockopt(int fd, int level, int name, long value, long lenPtr);
    int setsockopt(int fd, int level, int name, long value, int len);

    // processes, threads and signals
    int kill(int pid, int sig);
    int getpid();
    int gettid();
    int tgkill(int tgid, int tid, int sig);
    int sigaction(int sig, long act, long oldact);
    int waitid(int idtype, int id, long infop, int options);
    int posix_spawn_file_actions_init(Pointer actions);
    int posix_spawn_file_actions_destroy(Pointer actions);
    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
    int posix_spawnp(@Out int[] pid, String file, Pointer actions, Pointer attr, @In String[] argv, @In String[] envp);

    String strerror(int errnum);
}
