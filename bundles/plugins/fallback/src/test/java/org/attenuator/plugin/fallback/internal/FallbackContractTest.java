package org.attenuator.plugin.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.attenuator.plugin.fallback.Fallback;
import org.junit.jupiter.api.Test;

/** The exported constants the agent configures the plugin with name what the component really reads. */
class FallbackContractTest {

    @Test
    void theConfigurationKeysAreTheComponentsAttributes() {
        assertEquals(String.class, assertDoesNotThrow(
                () -> FallbackComponent.Config.class.getMethod(Fallback.CONFIG_FALLBACK)).getReturnType());
        assertEquals(boolean.class, assertDoesNotThrow(
                () -> FallbackComponent.Config.class.getMethod(Fallback.CONFIG_TAKE_BACK)).getReturnType());
    }
}
