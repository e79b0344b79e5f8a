package org.attenuator.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.propagateSystemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * The Felix every integration test boots: the bundles of target/bundles (the distribution's set,
 * copied by Maven because reactor artifacts are not in the local repository during verify).
 */
final class FelixOptions {

    /** Bundles the others need before they start: the ServiceLoader extender and logging. */
    private static final List<String> FIRST = List.of("org.apache.aries.spifly", "slf4j-api", "logback-");

    private FelixOptions() {
    }

    static Option framework() {
        return composite(
                junitBundles(),
                cleanCaches(true),
                // Without this Felix lets ServiceLoader see the test class path, and slf4j falls back to NOP.
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                propagateSystemProperty("attenuator.native.dir"),
                composite(bundles()));
    }

    private static Option[] bundles() {
        Path dir = Path.of(System.getProperty("attenuator.bundles.dir", "target/bundles"));
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(FelixOptions::provision)
                    .toArray(Option[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("no bundles in " + dir, e);
        }
    }

    private static Option provision(Path jar) {
        String name = jar.getFileName().toString();
        UrlProvisionOption option = bundle(jar.toUri().toString());
        if (name.startsWith("jffi-") && name.contains("native")) {
            return option.noStart();
        }
        if (FIRST.stream().anyMatch(name::startsWith)) {
            return option.startLevel(1);
        }
        return option;
    }

    /** The directory of the native executables (attenuator-testhelper and others). */
    static File nativeDir() {
        return new File(System.getProperty("attenuator.native.dir"));
    }
}
