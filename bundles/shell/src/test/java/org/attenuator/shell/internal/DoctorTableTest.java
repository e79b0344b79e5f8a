package org.attenuator.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.attenuator.core.DoctorReport;
import org.attenuator.core.DoctorReport.Check;
import org.attenuator.core.DoctorReport.Status;
import org.junit.jupiter.api.Test;

class DoctorTableTest {

    private static final DoctorReport REPORT = new DoctorReport("x86_64", "6.1.0", List.of(
            new Check("ARCH", Status.INFO, false, "x86_64"),
            new Check("USER_NOTIF", Status.YES, true, "SECCOMP_RET_USER_NOTIF"),
            new Check("ADDFD", Status.NO, false, "EINVAL"),
            new Check("NO_NEW_PRIVS", Status.NO, true, "EPERM")),
            false, "supervision is not possible here: NO_NEW_PRIVS");

    @Test
    void noFormatPrintsOneTabSeparatedLinePerCheckWithTheCliWordingAndNoPadding() {
        assertEquals(List.of(
                "ARCH\t\tx86_64",
                "USER_NOTIF\tyes\tSECCOMP_RET_USER_NOTIF",
                "ADDFD\tno\tEINVAL",
                "NO_NEW_PRIVS\tNO (required)\tEPERM"), print(false));
    }

    @Test
    void formattedTableHasTheHeaderFirst() {
        List<String> lines = print(true);
        assertEquals(List.of("FEATURE", "AVAILABLE", "DETAIL"), List.of(lines.get(0).split("\\s*\\|\\s*")));
    }

    private static List<String> print(boolean format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DoctorTable.of(REPORT).print(new PrintStream(bytes, true, StandardCharsets.UTF_8), !format);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
