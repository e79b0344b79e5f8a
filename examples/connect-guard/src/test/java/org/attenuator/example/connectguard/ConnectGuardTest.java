package org.attenuator.example.connectguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.TargetGoneException;
import org.junit.jupiter.api.Test;

/** The guard against events made here: what the supervisor would hand it for connect(). */
class ConnectGuardTest {

    private static final long ADDRESS = 0x7fff_0000_1000L;
    private static final int ECONNREFUSED = 111;
    private static final int EPERM = 1;
    private static final int AF_INET = 2, AF_INET6 = 10;

    @Test
    void aListedPortIsDeniedWithTheConfiguredErrno() {
        assertEquals(Decision.deny(ECONNREFUSED), guard(ConnectGuard.Errno.ECONNREFUSED, 25, 6379)
                .handle(connect(inet(AF_INET, 6379), 16), CONTEXT));
        assertEquals(Decision.deny(EPERM), guard(ConnectGuard.Errno.EPERM, 25)
                .handle(connect(inet(AF_INET, 25), 16), CONTEXT));
    }

    @Test
    void ipv6IsGuardedToo() {
        assertEquals(Decision.deny(ECONNREFUSED),
                guard(ConnectGuard.Errno.ECONNREFUSED, 25).handle(connect(inet(AF_INET6, 25), 28), CONTEXT));
    }

    @Test
    void everythingElsePassesNeverAllows() {
        ConnectGuard guard = guard(ConnectGuard.Errno.ECONNREFUSED, 25);
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 443), 16), CONTEXT), "unlisted");
        assertEquals(Decision.pass(), guard.handle(connect(inet(1 /* AF_UNIX */, 25), 110), CONTEXT), "not IP");
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 25), 2), CONTEXT), "too short");
        assertEquals(Decision.pass(), guard.handle(connect(inet(AF_INET, 25), 4096), CONTEXT), "too long");
        assertEquals(Decision.pass(), guard.handle(connect(null, 16), CONTEXT), "bad pointer");
    }

    @Test
    void bitsAboveTheIntLengthDoNotHideTheAddress() {
        // the kernel reads addrlen as an int: a register with garbage above bit 31 still connects
        assertEquals(Decision.deny(ECONNREFUSED), guard(ConnectGuard.Errno.ECONNREFUSED, 25)
                .handle(connect(inet(AF_INET, 25), 0x7_0000_0010L), CONTEXT));
    }

    @Test
    void aGoneTargetIsTheSupervisorsBusiness() {
        ConnectGuard guard = guard(ConnectGuard.Errno.ECONNREFUSED, 25);
        SyscallEvent gone = new Event(new ArgumentReader() {
            @Override
            public String readString(long address, int maxBytes) {
                throw new TargetGoneException("gone");
            }

            @Override
            public ByteBuffer readBytes(long address, int length) {
                throw new TargetGoneException("gone");
            }
        }, 16);
        assertThrows(TargetGoneException.class, () -> guard.handle(gone, CONTEXT));
    }

    @Test
    void invalidConfigurationsAreRejectedWithTheReason() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> guard(ConnectGuard.Errno.EPERM));
        assertTrue(none.getMessage().contains("at least one port"), none.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> guard(ConnectGuard.Errno.EPERM, 80, 70000));
        assertTrue(bad.getMessage().contains("70000"), bad.getMessage());
    }

    // ---- what the supervisor would pass ----------------------------------------------------

    private static final HandlerContext CONTEXT = new HandlerContext() {
        @Override
        public Phase phase() {
            return Phase.RUN;
        }

        @Override
        public Decision undecided() {
            return Decision.deny(EPERM);
        }
    };

    private static ConnectGuard guard(ConnectGuard.Errno errno, int... ports) {
        return new ConnectGuard(new ConnectGuard.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConnectGuard.Config.class;
            }

            @Override
            public int[] ports() {
                return ports;
            }

            @Override
            public ConnectGuard.Errno errno() {
                return errno;
            }

            @Override
            public String attenuator_target() {
                return null;
            }

            @Override
            public int service_ranking() {
                return 100;
            }
        });
    }

    /** A sockaddr_storage: family (little-endian), port (network order), then zeros. */
    private static ByteBuffer inet(int family, int port) {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) family);
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) port);
        return b;
    }

    /** connect(3, ADDRESS, length) whose memory at ADDRESS holds {@code memory} (null: unreadable). */
    private static SyscallEvent connect(ByteBuffer memory, long length) {
        return new Event(new ArgumentReader() {
            @Override
            public String readString(long address, int maxBytes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ByteBuffer readBytes(long address, int len) {
                if (memory == null || address != ADDRESS) {
                    throw new UncheckedIOException(new IOException("process_vm_readv: Bad address (EFAULT)"));
                }
                ByteBuffer slice = memory.duplicate();
                slice.limit(len);
                return slice.slice().asReadOnlyBuffer();
            }
        }, length);
    }

    private record Event(ArgumentReader reader, long length) implements SyscallEvent {
        @Override
        public long id() {
            return 1;
        }

        @Override
        public SupervisedTree tree() {
            return new SupervisedTree() {
                @Override
                public String id() {
                    return "t1";
                }

                @Override
                public long pid() {
                    return 4242;
                }

                @Override
                public Map<String, Object> properties() {
                    return Map.of(ID, "t1");
                }
            };
        }

        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public Syscall syscall() {
            return new Syscall("connect", 42, "x86_64");
        }

        @Override
        public long arg(int index) {
            return switch (index) {
                case 0 -> 3;
                case 1 -> ADDRESS;
                case 2 -> length;
                default -> 0;
            };
        }

        @Override
        public long instructionPointer() {
            return 0;
        }
    }
}
