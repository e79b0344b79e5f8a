package org.attenuator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.core.spi.TreePolicy;
import org.attenuator.core.spi.TreeStatus;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final TreeStatus PAUSED = new TreeStatus("t7", 4242,
            Map.of("cmd", new String[] {"/bin/sh", "-c", "true"}, "uid", 1000L, "learn", true, "owner", new StringBuilder("x"),
                    "meta", Map.of("profile", "web")),
            TreePolicy.builder().name("web").build(), Optional.of(Decision.deny(1)), Phase.INIT,
            new TreeStatus.Counters(9, 1, 2, 3, 4, 5, 6, 7, 8));

    @Test
    void aTreeIsAJsonObjectWithEveryCounterByNameAndNoJavaToString() throws Exception {
        String text = Json.write(TreeStatusJson.of(PAUSED));
        assertFalse(text.contains("Counters["), text);
        assertFalse(text.contains("[Ljava"), text);
        JsonNode tree = new ObjectMapper().readTree(text);
        assertEquals("t7", tree.get("id").asText());
        assertEquals(4242, tree.get("pid").asLong());
        assertEquals("web", tree.get("policy").asText());
        assertTrue(tree.get("paused").asBoolean());
        assertEquals("deny(1)", tree.get("pausedWith").asText());
        assertEquals("init", tree.get("phase").asText());
        JsonNode c = tree.get("counters");
        assertEquals(List.of(9L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), List.of(c.get("notifications").asLong(),
                c.get("allowed").asLong(), c.get("responded").asLong(), c.get("denied").asLong(), c.get("killed").asLong(),
                c.get("paused").asLong(), c.get("targetGone").asLong(), c.get("handlerFaults").asLong(),
                c.get("errors").asLong()));
        JsonNode props = tree.get("properties");
        assertEquals("-c", props.get("cmd").get(1).asText());
        assertEquals(1000, props.get("uid").asLong());
        assertTrue(props.get("learn").isBoolean());
        assertEquals("x", props.get("owner").asText());
        assertEquals("web", props.at("/meta/profile").asText());
    }

    @Test
    void aTargetsOwnCommandLineCannotForgeFields() throws Exception {
        String forged = "x\", \"pid\": 1, \"policy\": \"allow-all\"}\n{\"id\": \"t0";
        TreeStatus hostile = new TreeStatus("t9", 77, Map.of("cmd", List.of("/tmp/evil", forged)),
                TreePolicy.builder().name("strict").build(), Optional.empty(), Phase.RUN,
                new TreeStatus.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0));
        JsonNode tree = new ObjectMapper().readTree(Json.write(TreeStatusJson.of(hostile)));
        assertEquals(77, tree.get("pid").asLong());
        assertEquals("strict", tree.get("policy").asText());
        assertEquals(forged, tree.at("/properties/cmd/1").asText());
    }

    @Test
    void aSupervisedTreeHasANullPausedWith() {
        TreeStatus running = new TreeStatus("t1", 1, Map.of(), TreePolicy.builder().build(), Optional.empty(), Phase.RUN,
                new TreeStatus.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0));
        JsonNode tree = TreeStatusJson.of(running);
        assertFalse(tree.get("paused").asBoolean());
        assertTrue(tree.get("pausedWith").isNull());
        assertEquals("run", tree.get("phase").asText());
    }

    @Test
    void documentsAreIndentedNameColonValueAndEndInANewline() {
        String text = Json.write(Json.object().put("a", 1).set("b", Json.array().add("x")));
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    \"x\"\n  ]\n}\n", text);
    }

    @Test
    void aDoctorReportKeepsItsChecksInOrderWithLowerCaseStatus() {
        DoctorReport report = new DoctorReport("x86_64", "6.1.0", List.of(
                new DoctorReport.Check("USER_NOTIF", DoctorReport.Status.YES, true, "ok"),
                new DoctorReport.Check("ADDFD", DoctorReport.Status.NO, false, "EINVAL")), true, "Supervision is possible here.");
        JsonNode json = report.toJson();
        assertEquals("6.1.0", json.get("kernelRelease").asText());
        assertTrue(json.get("supervisionPossible").asBoolean());
        assertEquals("ADDFD", json.get("checks").get(1).get("name").asText());
        assertEquals("no", json.get("checks").get(1).get("status").asText());
        assertFalse(json.get("checks").get(1).get("required").asBoolean());
    }
}
