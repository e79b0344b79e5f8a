package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attenuator.distribution.Distribution.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distribution without a plugin bundle still resolves: the command line imports the plugins'
 * packages optionally, so {@code run} works with what is there and a command that needs a missing
 * plugin says so in one line.
 */
class WithoutPluginsIT {

    @TempDir
    Path dir;

    @Test
    void runWorksWithoutTheLearningPlugin() throws Exception {
        Path bin = distributionWithout(List.of("attenuator-plugin-learning-"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Result plain = Distribution.run(bin, home, Map.of(), "run", "--", "/bin/echo", "hello");
        assertEquals(0, plain.status(), plain::toString);
        assertEquals("hello\n", plain.out(), plain::toString);
        Result learn = Distribution.run(bin, home, Map.of(), "run", "--learn=k", "--", "/bin/true");
        assertEquals(125, learn.status(), learn::toString);
        assertEquals("attenuator run: learned profiles need the learning plugin (org.attenuator.plugin.learning)\n",
                learn.err(), learn::toString);
    }

    @Test
    void runWorksWithoutTheFallbackAndDenyLogPlugins() throws Exception {
        Path bin = distributionWithout(List.of("attenuator-plugin-fallback-", "attenuator-plugin-denylog-"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Result plain = Distribution.run(bin, home, Map.of(), "run", "--", "/bin/echo", "hello");
        assertEquals(0, plain.status(), plain::toString);
        assertEquals("hello\n", plain.out(), plain::toString);
    }

    /**
     * A copy of the unpacked distribution without the bundles whose file names start with one of
     * {@code left}, and without the class archive (it records the full distribution's class path);
     * its {@code bin/attenuator}.
     */
    private Path distributionWithout(List<String> left) throws IOException {
        Path from = Distribution.bin().getParent().getParent();
        Path to = dir.resolve("attenuator");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.equals("attenuator.jsa") || left.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                Files.copy(f, to.resolve(from.relativize(f).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertTrue(Files.isExecutable(to.resolve("bin/attenuator")));
        return to.resolve("bin/attenuator");
    }
}
