package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.attenuator.core.Launch;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchException;
import org.attenuator.linux.StrictDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A launch's compiled program on disk for attenuator-client (native/client/main.c, which reads
 * this format): {@code attenuator-program 1 MODE NINSNS METALEN\n}, then METALEN bytes of agent
 * metadata (every line but {@code executable=}; empty in kernel mode), then the raw program. MODE
 * {@code agent}: the filter of a launch with a listener (supervised and agent launches install the
 * same one), whose listener goes to an agent; {@code kernel}: a kernel-only filter that notifies
 * nothing. Other launches (routed denials, a kernel-only launch whose exec the keeper answers) are
 * not stored: the client has no way to run them.
 */
final class ProgramCacheEntry {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramCacheEntry.class);

    private ProgramCacheEntry() {
    }

    /** Writes the entry to {@link Launch#programCache()}; a failure is logged, never the launch's. */
    static void store(Launch launch, LaunchPlan plan, boolean routed, byte[] program) {
        Path file = launch.programCache().orElseThrow();
        try {
            String metadata;
            String mode;
            if (launch.mode() == Mode.KERNEL_ONLY && !plan.controlled()) {
                mode = "kernel";
                metadata = "";
            } else if (launch.mode() != Mode.KERNEL_ONLY && !routed) {
                mode = "agent";
                metadata = AgentHandover.metadata(launch);
            } else {
                return;
            }
            byte[] entry = bytes(mode, metadata, program);
            String name = file.getFileName().toString();
            try (StrictDirectory dir = StrictDirectory.create(file.getParent())) {
                if (!dir.read(name, entry.length).map(old -> Arrays.equals(old.bytes(), entry)).orElse(false)) {
                    dir.replace(name, entry); // a new one, or one this process cannot trust or read: replaced
                }
            }
        } catch (IOException | LaunchException e) {
            LOG.debug("not caching the program in {}: {}", file, e.getMessage());
        }
    }

    static byte[] bytes(String mode, String metadata, byte[] program) {
        byte[] meta = metadata.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("attenuator-program 1 " + mode + " " + program.length / 8 + " " + meta.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(head.length + meta.length + program.length).put(head).put(meta).put(program).array();
    }
}
