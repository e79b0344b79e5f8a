package org.attenuator.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.attenuator.core.DoctorReport.Check;
import org.attenuator.core.DoctorReport.Status;
import org.attenuator.core.KeeperStatus;
import org.junit.jupiter.api.Test;

/** The doctor's keeper row, from what the fallback plugin reports. */
class DoctorKeeperRowTest {

    private static final Path SOCKET = Path.of("/run/attenuator/keeper.sock");

    @Test
    void aKeeperOnStandbyIsFineWhenItsExecutableIsThere() {
        Check row = row(KeeperStatus.State.STANDBY, Path.of("/bin/true"));
        assertEquals(Status.YES, row.status());
        assertEquals("standby: /bin/true starts with the first supervised tree", row.detail());
    }

    @Test
    void aKeeperThatCannotStartIsNo() {
        Check row = row(KeeperStatus.State.STANDBY, Path.of("/nonexistent/attenuator-keeper"));
        assertEquals(Status.NO, row.status());
        assertTrue(row.detail().contains("ENOSYS"), row.detail());
        assertEquals(Status.NO, row(KeeperStatus.State.DISABLED, Path.of("/bin/true")).status());
    }

    @Test
    void noPluginNoRow() {
        assertEquals(Optional.empty(), DoctorService.keeperCheck(null));
    }

    private static Check row(KeeperStatus.State state, Path keeper) {
        KeeperStatus status = () -> new KeeperStatus.Report(state, -1, keeper, SOCKET, Instant.now(), 0, "why", List.of());
        return DoctorService.keeperCheck(status).orElseThrow();
    }
}
