package org.attenuator.core.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.junit.jupiter.api.Test;

class AgentHandoverTest {

    private static Launch.Builder agentLaunch() {
        return Launch.command(List.of("/bin/true")).agent(Path.of("/run/agent.sock"));
    }

    @Test
    void treePropertiesTravelAsMetadataLines() throws Exception {
        byte[] message = AgentHandover.message(42, agentLaunch().property("fallback", "allow").build(), Path.of("/bin/true"));
        String metadata = new ObjectMapper().readTree(message).get("metadata").asText();
        assertTrue(metadata.lines().anyMatch("fallback=allow"::equals), metadata);
        assertTrue(metadata.lines().anyMatch("source=launch"::equals), metadata);
    }

    @Test
    void aPropertyThatWouldRewriteAnotherLineIsRefused() {
        for (Launch l : List.of(agentLaunch().property("profile", "unconfined").build(),
                agentLaunch().property("fallback", "allow\nprofile=unconfined").build(),
                agentLaunch().property("a=b", "c").build())) {
            LaunchException e = assertThrows(LaunchException.class, () -> AgentHandover.properties(l));
            assertEquals(2, e.status(), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
