package org.attenuator.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EpollTest {
    @Test
    void eventfdWakesABlockedEpollWait() throws Exception {
        try (Epoll epoll = Epoll.create(); EventFd wake = EventFd.create(0, EventFd.NONBLOCK)) {
            epoll.add(wake, Epoll.IN, 0xCAFE_BABE_0000_0001L);
            Epoll.Events events = new Epoll.Events(4);
            assertEquals(0, epoll.wait(events, 0), "nothing ready yet");
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return epoll.wait(events, 10_000);
                } catch (NativeException e) {
                    throw new RuntimeException(e);
                }
            });
            wake.signal(3);
            assertEquals(1, waiter.get(10, TimeUnit.SECONDS));
            assertEquals(Epoll.IN, events.events(0) & Epoll.IN);
            assertEquals(0xCAFE_BABE_0000_0001L, events.cookie(0));
            assertEquals(3, wake.drain());
            assertEquals(0, wake.drain(), "NONBLOCK and empty");
            assertEquals(0, epoll.wait(events, 0));

            epoll.modify(wake, Epoll.IN, 42);
            wake.signal(1);
            assertEquals(1, epoll.wait(events, 1000));
            assertEquals(42, events.cookie(0));
            epoll.delete(wake);
            assertEquals(0, epoll.wait(events, 0), "deleted registration");
            NativeException e = assertThrows(NativeException.class, () -> epoll.delete(wake));
            assertEquals("epoll_ctl(EPOLL_CTL_DEL): No such file or directory (ENOENT)", e.getMessage());
        }
    }

    @Test
    void addingAClosedFdNamesTheCall() throws Exception {
        try (Epoll epoll = Epoll.create()) {
            EventFd ev = EventFd.create(0, 0);
            ev.close();
            NativeException e = assertThrows(NativeException.class, () -> epoll.add(ev, Epoll.IN, 1));
            assertEquals("epoll_ctl(EPOLL_CTL_ADD)", e.syscall());
            assertEquals(Errno.EBADF, e.errno());
        }
    }

    @Test
    void addingTheSameFdTwiceIsEexist() throws Exception {
        try (Epoll epoll = Epoll.create(); EventFd ev = EventFd.create(0, 0)) {
            epoll.add(ev, Epoll.IN, 1);
            assertEquals(Errno.EEXIST, assertThrows(NativeException.class, () -> epoll.add(ev, Epoll.IN, 1)).errno());
        }
    }
}
