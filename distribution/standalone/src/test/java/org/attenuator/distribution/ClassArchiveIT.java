package org.attenuator.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.attenuator.testsupport.TempHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class archive (lib/attenuator.jsa, AppCDS) and jffi's native library, which the JVM of
 * {@code bin/attenuator} loads as code: the built distribution's archive serves the bundles' classes,
 * and an archive someone else could have written (another user's file, a group-writable file or
 * directory, a symbolic link) is never handed to the JVM, with one warning line. The refusals run a
 * copy of {@code bin/attenuator} whose JVM ({@code JAVA}) records the options it was given.
 */
class ClassArchiveIT {

    private static final int CLOUDSDK = 1000;
    private static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

    /** Under target/ (failsafe's java.io.tmpdir), whose directories are root's and closed to others. */
    @TempDir
    Path dir;
    private Path copy;
    private Path archive;
    private Path recordedArgs;

    record Result(int status, String stderr, List<String> jvmArgs) {}

    @BeforeEach
    void copyOfTheLauncherScript() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        copy = dir.resolve("attenuator");
        Path bin = Files.createDirectories(copy.resolve("bin"));
        Path lib = Files.createDirectories(copy.resolve("lib"));
        Files.copy(Distribution.bin(), bin.resolve("attenuator"), StandardCopyOption.COPY_ATTRIBUTES);
        archive = Files.writeString(lib.resolve("attenuator.jsa"), "not read: the recording JVM below only lists its options");
        // where the recording JVM writes, also when another user runs it
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        recordedArgs = out.resolve("jvm-args.txt");
        Path java = Files.writeString(dir.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + recordedArgs + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : List.of(copy, bin, lib)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theBuiltArchiveServesTheBundlesClasses() throws Exception {
        Path classLog = dir.resolve("class-load.txt");
        Distribution.Result run = runReal(Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "run", "--", "/bin/true");
        assertEquals(0, run.status(), run.toString());
        assertEquals("", run.err(), "no warning about the archive");
        List<String> core = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" org.attenuator.core.internal.launch.LauncherService ")).toList();
        assertEquals(1, core.size(), core.toString());
        assertTrue(core.get(0).endsWith("source: shared objects file (top)"), "a bundle's class comes from the archive: " + core);
        // a class the training run loaded but never ran (the JVM would leave it out as "Not linked"):
        // bin/attenuator-class-archive has it linked before the dump
        List<String> unlinkedInTraining = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" com.fasterxml.jackson.databind.JsonMappingException ")).toList();
        assertEquals(1, unlinkedInTraining.size(), unlinkedInTraining.toString());
        assertTrue(unlinkedInTraining.get(0).endsWith("source: shared objects file (top)"), unlinkedInTraining.toString());
    }

    @Test
    void jffisNativeLibraryIsMappedFromTheDistributionNotFromAnUnpackedCopy() throws Exception {
        // names this test's JVM among the processes; outlives a slow JVM start (stop() ends it at once)
        String target = "/bin/sleep 299.5";
        Distribution.Daemon run = Distribution.start(dir, TempHome.in(dir),
                () -> jffiMappedBy(target).isPresent(), "run", "--", "/bin/sleep", "299.5");
        try {
            Path lib = Distribution.bin().getParent().getParent().resolve("lib/jni/x86_64-Linux/libjffi-1.2.so").toRealPath();
            assertEquals(lib.toString(), jffiMappedBy(target).orElseThrow());
        } finally {
            run.stop();
        }
    }

    /** The file of libjffi that the JVM running {@code run -- TARGET} has mapped, as /proc/PID/maps names it. */
    private static Optional<String> jffiMappedBy(String target) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("launcher.Main run -- " + target)).isPresent())
                .flatMap(p -> {
                    try {
                        return Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "maps")).stream();
                    } catch (IOException gone) {
                        return Stream.empty();
                    }
                })
                .map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                .filter(file -> file.contains("jffi")).findFirst();
    }

    @Test
    void theArchiveIsMappedWhenOnlyItsOwnerCanWriteIt() throws Exception {
        Result root = launch(List.of());
        assertEquals("", root.stderr());
        assertTrue(root.jvmArgs().contains(ARCHIVE_OPTION + archive), root.jvmArgs().toString());

        // a root-owned install is trusted by every user
        Result otherUser = launch(List.of("setpriv", "--reuid=" + CLOUDSDK, "--regid=" + CLOUDSDK, "--clear-groups"));
        assertEquals("", otherUser.stderr());
        assertTrue(otherUser.jvmArgs().contains(ARCHIVE_OPTION + archive), otherUser.jvmArgs().toString());
    }

    @Test
    void anArchiveAnotherUserOwnsIsNotMapped() throws Exception {
        Files.setOwner(archive, archive.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("cloudsdk"));
        assertRefused("refusing " + archive + ": owned by uid 1000, not 0 or root");
    }

    @Test
    void aGroupWritableArchiveIsNotMapped() throws Exception {
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-r--"));
        assertRefused("refusing " + archive + ": writable by group or others (mode 0664)");
    }

    @Test
    void anArchiveInADirectoryOthersCanWriteIsNotMapped() throws Exception {
        Files.setPosixFilePermissions(archive.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused("refusing " + archive.getParent() + ": writable by group or others (mode 0777)");
    }

    @Test
    void aSymbolicLinkAtTheArchiveIsNotMapped() throws Exception {
        Path elsewhere = Files.move(archive, dir.resolve("planted.jsa"));
        Files.createSymbolicLink(archive, elsewhere);
        assertRefused("refusing " + archive + ": a symbolic link");
    }

    private void assertRefused(String reason) throws Exception {
        Result r = launch(List.of());
        assertEquals("attenuator: ignoring the class archive: " + reason + "\n", r.stderr());
        assertFalse(r.jvmArgs().stream().anyMatch(a -> a.startsWith(ARCHIVE_OPTION)), r.jvmArgs().toString());
        assertTrue(r.jvmArgs().contains("org.attenuator.launcher.Main"), "the command still starts: " + r.jvmArgs());
    }

    /** The copy's {@code bin/attenuator version}, as {@code prefix} says (e.g. as another user), with the recording JVM. */
    private Result launch(List<String> prefix) throws Exception {
        Files.deleteIfExists(recordedArgs);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(copy.resolve("bin/attenuator").toString());
        cmd.add("version");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA", dir.resolve("java").toString());
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/attenuator did not end");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new Result(p.exitValue(), Files.readString(err), Files.readAllLines(recordedArgs));
    }

    private Distribution.Result runReal(Map<String, String> env, String... args) throws Exception {
        return Distribution.run(TempHome.in(dir), env, args);
    }
}
