package org.attenuator.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.attenuator.core.DoctorReport.Check;
import org.attenuator.core.DoctorReport.Status;
import org.attenuator.core.spi.KeeperStatus;
import org.junit.jupiter.api.Test;

/** The doctor's keeper row, from what the fallback plugin reports. */
class DoctorKeeperRowTest {

    private static final Path SOCKET = Path.of("/run/attenuator/keeper.sock");

    @Test
    void aKeeperOnStandbyIsFineWhenItsExecutableIsThere() {
        Check row = row(KeeperStatus.State.STANDBY, Path.of("/bin/true"));
        assertEquals(Status.YES, row.status());
        assertEquals("standby: /bin/true starts with the first supervised tree or --kernel-only launch whose profile"
                + " denies execve (it answers that target's execve)", row.detail());
    }

    @Test
    void aKeeperThatCannotStartIsNo() {
        Check row = row(KeeperStatus.State.STANDBY, Path.of("/nonexistent/attenuator-keeper"));
        assertEquals(Status.NO, row.status());
        assertTrue(row.detail().contains("supervised launches and --kernel-only ones whose profile denies execve are"
                + " refused"), row.detail());
        Check disabled = row(KeeperStatus.State.DISABLED, Path.of("/bin/true"));
        assertEquals(Status.NO, disabled.status());
        assertTrue(disabled.detail().endsWith("--kernel-only with a profile that denies execve is refused"), disabled.detail());
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
