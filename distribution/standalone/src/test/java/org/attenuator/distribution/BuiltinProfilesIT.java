package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.distribution.Distribution.Result;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built-in profiles by name, {@code builtin:NAME}, in every command that takes a profile, as a
 * user types them: listed, printed as shipped, compiled, explained and run; an unknown name is
 * one line naming the known ones, exit 2.
 */
class BuiltinProfilesIT {

    /** The profiles as the profile bundle ships them. */
    private static final Path SHIPPED = Path.of("../../bundles/profile/src/main/resources/org/attenuator/profile");

    @RegisterExtension
    final TempHome temp = new TempHome();

    @Test
    void profileListShowsTheBuiltinsAndProfileShowPrintsOneAsShipped() throws Exception {
        Result list = Distribution.run(temp.home(), "profile", "list");
        assertEquals(0, list.status(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("builtin:docker-default ")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("builtin:docker-20.10 ")), list.out());
        for (String name : List.of("docker-default", "docker-20.10")) {
            Result shown = Distribution.run(temp.home(), "profile", "show", "builtin:" + name);
            assertEquals(0, shown.status(), shown::toString);
            assertEquals(Files.readString(SHIPPED.resolve(name + ".json")), shown.out());
        }
    }

    @Test
    void compileExplainAndRunTakeABuiltinByName() throws Exception {
        Result listing = Distribution.run(temp.home(), "compile", "builtin:docker-20.10");
        assertEquals(0, listing.status(), listing::toString);
        assertTrue(listing.out().contains("ret ALLOW"), listing.out());
        // docker-20.10 allows io_uring_setup, today's default does not
        Result allowed = Distribution.run(temp.home(), "explain", "builtin:docker-20.10", "io_uring_setup");
        assertEquals(0, allowed.status(), allowed::toString);
        assertTrue(allowed.out().startsWith("action: ALLOW"), allowed.out());
        Result denied = Distribution.run(temp.home(), "explain", "builtin:docker-default", "io_uring_setup");
        assertTrue(denied.out().startsWith("action: ERRNO"), denied.out());
        Result run = Distribution.run(temp.home(), "run", "--profile", "builtin:docker-20.10", "--", "/bin/echo", "hi");
        assertEquals(0, run.status(), run::toString);
        assertEquals("hi\n", run.out());
    }

    @Test
    void anUnknownBuiltinIsOneLineListingTheKnownOnes() throws Exception {
        for (List<String> command : List.of(List.of("compile", "builtin:docker-default2"),
                List.of("explain", "builtin:docker-default2", "openat"),
                List.of("profile", "show", "builtin:docker-default2"),
                List.of("run", "--profile", "builtin:docker-default2", "--", "/bin/true"))) {
            Result refused = Distribution.run(temp.home(), command.toArray(String[]::new));
            assertEquals(2, refused.status(), command + ": " + refused);
            assertEquals("attenuator " + command.get(0)
                    + ": no built-in profile docker-default2 (built in: docker-default, docker-20.10)", refused.err().strip());
        }
    }
}
