package org.attenuator.linux;

import static org.attenuator.linux.internal.Native.LIBC;
import static org.attenuator.linux.internal.Native.errno;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jnr.ffi.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.attenuator.linux.internal.Native;
import org.attenuator.linux.internal.Structs;

/**
 * An AF_UNIX SOCK_STREAM socket (close-on-exec), with fd passing (SCM_RIGHTS) and peer
 * credentials. Sending and receiving each have their own native message buffer, guarded by its
 * own lock: one thread may receive while others send (sends are serialized with each other,
 * receives with each other), and neither can see the other's bytes or fd numbers.
 */
public final class UnixSocket extends Fd {
    static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000, SOL_SOCKET = 1, SCM_RIGHTS = 1,
            SO_PEERCRED = 17, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, MSG_NOSIGNAL = 0x4000, MSG_CTRUNC = 8,
            MSG_CMSG_CLOEXEC = 0x40000000, SHUT_RDWR = 2;
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocket.class);
    /** The most fds one message carries (the kernel's SCM_MAX_FD is 253). */
    public static final int MAX_FDS = 64;
    private static final int IO_MAX = 64 * 1024;
    private static final int CONTROL_SIZE = Structs.cmsgSpace(MAX_FDS * 4);

    /** The message buffers of each direction (msghdr + iovec + control + data), allocated on first use. */
    private final MessageBuffer sendBuffer = new MessageBuffer(), receiveBuffer = new MessageBuffer();

    /** Credentials of the peer process at connect time (SO_PEERCRED). */
    public record PeerCredentials(int pid, int uid, int gid) {}

    private UnixSocket(int fd) {
        super(fd);
    }

    /** Takes ownership of a socket fd received from elsewhere. */
    public static UnixSocket adopt(Fd fd) {
        return new UnixSocket(fd.transfer());
    }

    /** socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): two connected ends. */
    public static UnixSocket[] pair() throws NativeException {
        int[] sv = new int[2];
        if (LIBC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
            throw new NativeException("socketpair(AF_UNIX)", errno());
        }
        return new UnixSocket[] {new UnixSocket(sv[0]), new UnixSocket(sv[1])};
    }

    private static UnixSocket newSocket() throws NativeException {
        int fd = LIBC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("socket(AF_UNIX)", errno());
        }
        return new UnixSocket(fd);
    }

    /**
     * Refuses a path a Unix socket address cannot hold (sun_path: 1 to 107 bytes), so a caller can
     * say so before it starts anything that would bind or connect there.
     * @throws IllegalArgumentException naming the path, its length and the limit
     */
    public static void checkPath(String path) {
        int length = path.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0) {
            throw new IllegalArgumentException("socket path is empty");
        }
        if (length >= Structs.SUN_PATH_MAX) {
            throw new IllegalArgumentException("socket path " + path + " is " + length + " bytes, longer than the "
                    + (Structs.SUN_PATH_MAX - 1) + " a Unix socket address holds");
        }
    }

    private static Pointer address(String path) {
        checkPath(path);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        Pointer sa = Native.allocate(Structs.SUN_SIZE);
        sa.putShort(Structs.SUN_FAMILY, (short) AF_UNIX);
        sa.put(Structs.SUN_PATH, p, 0, p.length);
        return sa;
    }

    /** socket + bind + listen on a filesystem path (which must not exist). */
    public static UnixSocket listen(String path, int backlog) throws NativeException {
        Pointer sa = address(path);
        UnixSocket s = newSocket();
        boolean success = false;
        try {
            if (LIBC.bind(s.intValue(), sa.address(), Structs.SUN_SIZE) != 0) {
                throw new NativeException("bind(" + path + ")", errno());
            }
            if (LIBC.listen(s.intValue(), backlog) != 0) {
                throw new NativeException("listen(" + path + ")", errno());
            }
            success = true;
            return s;
        } finally {
            if (!success) {
                s.close();
            }
        }
    }

    /** socket + connect to a filesystem path. */
    public static UnixSocket connect(String path) throws NativeException {
        Pointer sa = address(path);
        UnixSocket s = newSocket();
        boolean success = false;
        try {
            if (LIBC.connect(s.intValue(), sa.address(), Structs.SUN_SIZE) != 0) {
                throw new NativeException("connect(" + path + ")", errno());
            }
            success = true;
            return s;
        } finally {
            if (!success) {
                s.close();
            }
        }
    }

    /** accept4(SOCK_CLOEXEC); honours the receive timeout (EAGAIN when it expires). */
    public UnixSocket accept() throws NativeException {
        int fd = LIBC.accept4(checkedFd("accept4"), 0, 0, SOCK_CLOEXEC);
        if (fd < 0) {
            throw new NativeException("accept4", errno());
        }
        return new UnixSocket(fd);
    }

    /** SO_RCVTIMEO: recvmsg and accept fail with EAGAIN after this long; zero means forever. */
    public void setReceiveTimeout(Duration timeout) throws NativeException {
        setTimeout(SO_RCVTIMEO, "setsockopt(SO_RCVTIMEO)", timeout);
    }

    /** SO_SNDTIMEO. */
    public void setSendTimeout(Duration timeout) throws NativeException {
        setTimeout(SO_SNDTIMEO, "setsockopt(SO_SNDTIMEO)", timeout);
    }

    private void setTimeout(int option, String name, Duration timeout) throws NativeException {
        Pointer tv = Native.allocate(Structs.TIMEVAL_SIZE);
        tv.putLong(Structs.TIMEVAL_SEC, timeout.getSeconds());
        tv.putLong(Structs.TIMEVAL_USEC, timeout.getNano() / 1000);
        if (LIBC.setsockopt(checkedFd(name), SOL_SOCKET, option, tv.address(), Structs.TIMEVAL_SIZE) != 0) {
            throw new NativeException(name, errno());
        }
    }

    /** SO_PEERCRED. */
    public PeerCredentials peerCredentials() throws NativeException {
        Pointer p = Native.allocate(Structs.UCRED_SIZE + 4);
        p.putInt(Structs.UCRED_SIZE, Structs.UCRED_SIZE);
        if (LIBC.getsockopt(checkedFd("getsockopt(SO_PEERCRED)"), SOL_SOCKET, SO_PEERCRED, p.address(),
                p.address() + Structs.UCRED_SIZE) != 0) {
            throw new NativeException("getsockopt(SO_PEERCRED)", errno());
        }
        return new PeerCredentials(p.getInt(Structs.UCRED_PID), p.getInt(Structs.UCRED_UID), p.getInt(Structs.UCRED_GID));
    }

    /** Native memory for one sendmsg or recvmsg; the caller holds the buffer's monitor while using it. */
    private static final class MessageBuffer {
        private Pointer memory;

        Pointer get() {
            if (memory == null) {
                memory = Native.allocate(Structs.MSG_SIZE + Structs.IOV_SIZE + CONTROL_SIZE + IO_MAX);
            }
            return memory;
        }
    }

    /**
     * shutdown(SHUT_RDWR): a receive blocked on this socket (in any thread) returns EOF and further
     * sends fail with EPIPE, while the fd stays open until its owner closes it (closing it under a
     * thread blocked in recvmsg would neither wake that thread nor keep the number from being reused).
     *
     * @since 0.3.0
     */
    public void shutdown() throws NativeException {
        if (LIBC.shutdown(checkedFd("shutdown"), SHUT_RDWR) != 0) {
            throw new NativeException("shutdown", errno());
        }
    }

    private static final int OFF_IOV = Structs.MSG_SIZE, OFF_CONTROL = OFF_IOV + Structs.IOV_SIZE,
            OFF_DATA = OFF_CONTROL + CONTROL_SIZE;

    /**
     * sendmsg of data[off..off+len) (at most 64 KiB per call) with fds in one SCM_RIGHTS message
     * travelling with the first byte. Returns the bytes sent (may be fewer on a stream; send the
     * rest with an empty fds list).
     */
    public int send(byte[] data, int off, int len, Fd... fds) throws NativeException {
        if (len <= 0 || len > IO_MAX) {
            throw new IllegalArgumentException("len must be 1.." + IO_MAX + ": " + len);
        }
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " fds per message");
        }
        synchronized (sendBuffer) {
            return sendLocked(data, off, len, fds);
        }
    }

    private int sendLocked(byte[] data, int off, int len, Fd... fds) throws NativeException {
        int fd = checkedFd("sendmsg");
        Pointer p = sendBuffer.get();
        p.setMemory(0, OFF_DATA, (byte) 0);
        p.put(OFF_DATA, data, off, len);
        p.putLong(OFF_IOV + Structs.IOV_BASE, p.address() + OFF_DATA);
        p.putLong(OFF_IOV + Structs.IOV_LEN, len);
        p.putLong(Structs.MSG_IOV, p.address() + OFF_IOV);
        p.putLong(Structs.MSG_IOVLEN, 1);
        if (fds.length > 0) {
            p.putLong(Structs.MSG_CONTROL, p.address() + OFF_CONTROL);
            p.putLong(Structs.MSG_CONTROLLEN, Structs.cmsgSpace(fds.length * 4));
            p.putLong(OFF_CONTROL + Structs.CMSG_LEN_OFF, Structs.cmsgLen(fds.length * 4));
            p.putInt(OFF_CONTROL + Structs.CMSG_LEVEL, SOL_SOCKET);
            p.putInt(OFF_CONTROL + Structs.CMSG_TYPE, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                p.putInt(OFF_CONTROL + Structs.CMSG_HDR + 4L * i, fds[i].checkedFd("sendmsg"));
            }
        }
        long n = LIBC.sendmsg(fd, p.address(), MSG_NOSIGNAL);
        if (n < 0) {
            throw new NativeException("sendmsg", errno());
        }
        return (int) n;
    }

    /**
     * Sends all of data, the fds with the first part. Concurrent calls do not interleave: each
     * message leaves in one piece.
     */
    public void sendFully(byte[] data, Fd... fds) throws NativeException {
        synchronized (sendBuffer) {
            int off = 0;
            Fd[] pending = fds;
            while (off < data.length) {
                off += send(data, off, Math.min(IO_MAX, data.length - off), pending);
                pending = new Fd[0];
            }
        }
    }

    /**
     * recvmsg(MSG_CMSG_CLOEXEC) into dst[off..off+len); fds that came with the bytes are added to
     * receivedFds (owned by the caller from then on). Returns the byte count, 0 at EOF.
     * If more than {@link #MAX_FDS} fds came, the kernel dropped the rest (logged as a warning).
     */
    public int receive(byte[] dst, int off, int len, List<Fd> receivedFds) throws NativeException {
        synchronized (receiveBuffer) {
            return receiveLocked(dst, off, len, receivedFds);
        }
    }

    private int receiveLocked(byte[] dst, int off, int len, List<Fd> receivedFds) throws NativeException {
        int fd = checkedFd("recvmsg");
        int want = Math.min(len, IO_MAX);
        Pointer p = receiveBuffer.get();
        p.setMemory(0, OFF_DATA, (byte) 0);
        p.putLong(OFF_IOV + Structs.IOV_BASE, p.address() + OFF_DATA);
        p.putLong(OFF_IOV + Structs.IOV_LEN, want);
        p.putLong(Structs.MSG_IOV, p.address() + OFF_IOV);
        p.putLong(Structs.MSG_IOVLEN, 1);
        p.putLong(Structs.MSG_CONTROL, p.address() + OFF_CONTROL);
        p.putLong(Structs.MSG_CONTROLLEN, CONTROL_SIZE);
        long n;
        while ((n = LIBC.recvmsg(fd, p.address(), MSG_CMSG_CLOEXEC)) < 0) {
            int e = errno();
            if (e != Errno.EINTR) {
                throw new NativeException("recvmsg", e);
            }
        }
        long controlLen = p.getLong(Structs.MSG_CONTROLLEN);
        long at = 0;
        while (at + Structs.CMSG_HDR <= controlLen) {
            long cmsgLen = p.getLong(OFF_CONTROL + at + Structs.CMSG_LEN_OFF);
            if (cmsgLen < Structs.CMSG_HDR) {
                break;
            }
            if (p.getInt(OFF_CONTROL + at + Structs.CMSG_LEVEL) == SOL_SOCKET
                    && p.getInt(OFF_CONTROL + at + Structs.CMSG_TYPE) == SCM_RIGHTS) {
                int count = (int) ((cmsgLen - Structs.CMSG_HDR) / 4);
                for (int i = 0; i < count; i++) {
                    receivedFds.add(Fd.adopt(p.getInt(OFF_CONTROL + at + Structs.CMSG_HDR + 4L * i)));
                }
            }
            at += (cmsgLen + 7) & ~7L;
        }
        p.get(OFF_DATA, dst, off, (int) n);
        if ((p.getInt(Structs.MSG_FLAGS) & MSG_CTRUNC) != 0) {
            LOG.warn("recvmsg on fd {}: control data truncated, some passed fds were dropped by the kernel", fd);
        }
        return (int) n;
    }
}
