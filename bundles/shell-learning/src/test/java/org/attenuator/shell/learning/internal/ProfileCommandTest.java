package org.attenuator.shell.learning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.console.Session;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.ExportFormat;
import org.attenuator.plugin.learning.LearnedSyscall;
import org.attenuator.plugin.learning.internal.FileProfileStore;
import org.attenuator.profile.ProfileReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seccomp:profile export} against a real store, option for option as {@code attenuator profile export}. */
class ProfileCommandTest {

    private static final Set<Phase> RUN = EnumSet.of(Phase.RUN);

    @TempDir
    Path home;
    private FileProfileStore store;

    @BeforeEach
    void learnedBox() throws Exception {
        store = new FileProfileStore(home);
        store.endRun("box", Map.of(new LearnedSyscall("x86_64", "read"), RUN, new LearnedSyscall("x86_64", "write"), RUN),
                false);
    }

    @Test
    void runtimeAddsThatRuntimesBaseSyscallsAsTheCommandLineDoes() throws Exception {
        for (ContainerRuntime runtime : ContainerRuntime.values()) {
            assertEquals(store.export("box", ExportFormat.OCI, runtime).orElseThrow(),
                    export("--runtime", runtime.toString()), runtime::toString);
        }
        String runc = export("--runtime", "runc");
        assertNotEquals(export("--runtime", "none"), runc);
        Set<String> names = Set.copyOf(ProfileReader.parse(runc, "export").syscalls().stream()
                .flatMap(e -> e.names().stream()).toList());
        assertTrue(names.containsAll(ContainerRuntime.RUNC.baseSyscalls()), names::toString);
    }

    @Test
    void runcIsTheDefaultAsOnTheCommandLine() throws Exception {
        assertEquals(export("--runtime", "runc"), export());
    }

    @Test
    void anUnknownRuntimeIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> export("--runtime", "docker"));
        assertEquals("--runtime must be runc, crun or none, not docker", e.getMessage());
    }

    /** Runs {@code seccomp:profile export box} with {@code option value} set, as Karaf would inject them. */
    private String export(String... optionAndValue) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ProfileCommand command = new ProfileCommand();
        set(command, "store", store);
        set(command, "session", session(new PrintStream(console, true, StandardCharsets.UTF_8)));
        set(command, "action", "export");
        set(command, "key", "box");
        if (optionAndValue.length == 2) {
            set(command, optionAndValue[0].substring(2), optionAndValue[1]);
        }
        command.execute();
        return console.toString(StandardCharsets.UTF_8);
    }

    private static void set(ProfileCommand command, String field, Object value) throws ReflectiveOperationException {
        java.lang.reflect.Field f = ProfileCommand.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(command, value);
    }

    /** The console session: all the command asks of it is its console. */
    private static Session session(PrintStream console) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConsole")) {
                        return console;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
