package org.attenuator.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SigsysReportTest {

    @Test
    void namesTheCallByTheAuditArchAndNumber() {
        assertEquals("getppid on x86_64", SigsysReport.describe(0xc000003eL, 110));
        assertEquals("getppid on x32", SigsysReport.describe(0xc000003eL, 0x40000000L + 110));
        assertEquals("getpid on i386", SigsysReport.describe(0x40000003L, 20));
        assertEquals("number 9999 on x86_64", SigsysReport.describe(0xc000003eL, 9999));
        assertEquals("number 5 on audit arch 0x1234", SigsysReport.describe(0x1234, 5));
    }
}
