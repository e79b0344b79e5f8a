package org.attenuator.itests.karaf;

import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchedProcess;
import org.attenuator.core.Launcher;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Hot swap through the bundle lifecycle: a plugin bundle installed while a tree runs changes the
 * tree's decisions; uninstalled, the tree's own policy decides again; the tree never stops.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class HotSwapIT extends KarafTestSupport {

    /** Reports each mkdir's outcome on a line of its own, every 50 ms, until killed. */
    private static final String MKDIR_LOOP = "d=/tmp/attenuator-hotswap-$$; while :; do"
            + " if mkdir $d 2>/dev/null; then rmdir $d; echo allowed; else echo denied; fi; sleep 0.05; done";

    @Inject
    private BundleContext context;

    @Inject
    private Launcher launcher;

    @Configuration
    public Option[] configuration() {
        return new Option[] {attenuatorKaraf()};
    }

    @Test
    public void aPluginBundleChangesTheDecisionsOfARunningTreeUntilItIsUninstalled() throws Exception {
        Launch launch = Launch.command("/bin/sh", "-c", MKDIR_LOOP).profile(notifyMkdir())
                .stdio(Launch.Stdio.PIPE).build();
        try (LaunchedProcess target = launcher.launch(launch)) {
            BufferedReader outcomes = new BufferedReader(
                    new InputStreamReader(target.process().getInputStream(), StandardCharsets.UTF_8));
            awaitOutcome(outcomes, "denied");

            Bundle plugin = context.installBundle(pluginLocation());
            plugin.start();
            awaitOutcome(outcomes, "allowed");

            plugin.uninstall();
            awaitOutcome(outcomes, "denied");
            assertTrue("the tree kept running through both swaps", target.isAlive());
        }
    }
}
