package org.attenuator.itests.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.attenuator.core.Supervisor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The distribution's etc/org.attenuator.core.intake.cfg opens the OCI agent socket at boot: private,
 * and a listener handed over exactly as runc does comes under the supervisor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class AgentSocketIT extends KarafTestSupport {

    private static final int SYS_GETPPID = 110;

    @Inject
    private Supervisor supervisor;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void shippedAgentSocketIsPrivateAndSupervisesHandedOverTrees() throws Exception {
        Path socket = Path.of((String) configurationAdmin.getConfiguration("org.attenuator.core.intake", null)
                .getProperties().get("socket"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

        long before = supervisor.stats().notifications();
        Path helper = Path.of(System.getProperty("karaf.home"), "bin", "attenuator-testhelper");
        Process target = new ProcessBuilder(helper.toString(), "--notify", String.valueOf(SYS_GETPPID),
                "--socket", socket.toString(), "--", "/bin/sh", "-c", "echo ppid=$PPID").redirectErrorStream(true).start();
        assertTrue("the target ends", target.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, target.exitValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.stats().notifications() > before);
    }
}
