package org.attenuator.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of bad profile gives one line naming the file, the line and the field, and no program. */
class BadInputTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> cases() {
        String rule = "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [\n  {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n  %s\n ]\n}";
        return Stream.of(
                Arguments.of("{\"defaultAction\": ", Reason.MALFORMED_JSON, "1: malformed JSON"),
                Arguments.of("{\"defaultAction\": 7}", Reason.WRONG_TYPE, "1: defaultAction: must be a string"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", Reason.WRONG_TYPE,
                        "1: syscalls: must be an array"),
                Arguments.of(String.format(rule, "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_MAYBE\"}"),
                        Reason.UNKNOWN_ACTION, "4: syscalls[1].action: unknown action \"SCMP_ACT_MAYBE\""),
                Arguments.of(String.format(rule, "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_ABOUT\"}]}"),
                        Reason.UNKNOWN_OPERATOR, "4: syscalls[1].args[0].op: unknown operator \"SCMP_CMP_ABOUT\""),
                Arguments.of(String.format(rule, "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n   \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}"),
                        Reason.ARGUMENT_INDEX, "5: syscalls[1].args[0].index: must be 0..5"),
                Arguments.of(String.format(rule, "{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}"),
                        Reason.EMPTY_NAMES, "4: syscalls[1].names: must name at least one system call"),
                Arguments.of(String.format(rule, "{\"names\": [\"read\", \"frobnicate\"], \"action\": \"SCMP_ACT_ALLOW\"}"),
                        Reason.UNKNOWN_SYSCALL, "4: syscalls[1].names[1]: unknown system call \"frobnicate\" (no architecture has it)"),
                Arguments.of(String.format(rule, "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}"),
                        Reason.NEGATIVE_VALUE, "4: syscalls[1].args[0].value: must not be negative: -1"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"architectures\": [\"SCMP_ARCH_VAX\"]}",
                        Reason.UNKNOWN_ARCHITECTURE, "2: architectures[0]: unknown architecture \"SCMP_ARCH_VAX\""),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"architectures\": [\"SCMP_ARCH_S390X\"]}",
                        Reason.UNKNOWN_ARCHITECTURE, "2: architectures[0]: no syscall table for SCMP_ARCH_S390X"),
                Arguments.of(tooLarge(), Reason.PROGRAM_TOO_LARGE, "1: syscalls: the filter needs"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"defaultActon\": \"SCMP_ACT_KILL\"}",
                        Reason.UNKNOWN_FIELD, "2: defaultActon: unknown field (did you mean defaultAction?)"),
                Arguments.of(String.format(rule, "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_KILL\", \"excludes\": {\"caps\": [], \"arch\": [\"amd64\"]}}"),
                        Reason.UNKNOWN_FIELD, "4: syscalls[1].excludes.arch: unknown field (did you mean arches?)"),
                Arguments.of(String.format(rule, "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\", \"vaule2\": 3}]}"),
                        Reason.UNKNOWN_FIELD, "4: syscalls[1].args[0].vaule2: unknown field"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"attenuator\": {\"notfy\": [\"openat\"]}}",
                        Reason.UNKNOWN_FIELD, "1: attenuator.notfy: unknown field (did you mean notify?)"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n{\"defaultAction\": \"SCMP_ACT_KILL\"}\n",
                        Reason.MALFORMED_JSON, "2: malformed JSON: text after the end of the document"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ALLOW\"} trailing",
                        Reason.MALFORMED_JSON, "1: malformed JSON: text after the end of the document"),
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_KILL\",\n \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
                        Reason.MALFORMED_JSON, "2: malformed JSON: field \"defaultAction\" given twice"),
                // nesting beyond the parser's limit (1000): one line, whatever builds the tree
                Arguments.of("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": " + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}", Reason.MALFORMED_JSON, " malformed JSON: Document nesting depth")); // the parser gives no line
    }

    /** Every x86_64 syscall with its own argument tests: far more than 4096 instructions. */
    private static String tooLarge() {
        StringBuilder b = new StringBuilder("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [");
        int i = 0;
        for (String name : org.attenuator.bpf.SyscallTable.of(Arch.X86_64).names()) {
            b.append(i++ == 0 ? "" : ",").append("{\"names\": [\"").append(name).append("\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [");
            for (int a = 0; a < 6; a++) {
                b.append(a == 0 ? "" : ",").append("{\"index\": ").append(a).append(", \"value\": ").append(i * 7919L + a)
                        .append(", \"op\": \"SCMP_CMP_GT\"}");
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void oneClearErrorNamingFileAndField(String json, Reason reason, String expected) throws Exception {
        Path file = Files.createTempFile(dir, reason.name().toLowerCase(), ".json");
        Files.writeString(file, json);
        ResolveOptions options = ResolveOptions.defaults().withArches(List.of(Arch.X86_64));
        if (json.contains("architectures")) {
            options = options.withArches(List.of());
        }
        ResolveOptions resolved = options;
        CompileException e = assertThrows(CompileException.class, () -> ProfileCompiler.create().compile(file, resolved));
        assertEquals(reason, e.reason());
        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith(file + ":" + expected), message + "\nshould start with " + file + ":" + expected);
    }
}
