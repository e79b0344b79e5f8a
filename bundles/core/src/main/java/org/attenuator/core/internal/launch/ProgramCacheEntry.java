package org.attenuator.core.internal.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.attenuator.core.Launch;
import org.attenuator.core.Launch.Mode;
import org.attenuator.core.LaunchException;
import org.attenuator.linux.StrictDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A launch's compiled program on disk, for attenuator-client (native/client/main.c, which reads
 * this format) and for the next run of the same profile: {@code attenuator-program 1 MODE NINSNS
 * METALEN\n}, then METALEN bytes of agent metadata (every line but {@code executable=}; empty in
 * kernel mode), then the raw program. MODE {@code agent}: the filter of a launch with a listener
 * (supervised and agent launches install the same one), whose listener goes to an agent;
 * {@code kernel}: a kernel-only filter that notifies nothing. Other launches (routed denials, a
 * kernel-only launch whose exec the keeper answers) have no entry: the client has no way to run them.
 */
final class ProgramCacheEntry {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramCacheEntry.class);

    /** The kernel's BPF_MAXINSNS: a longer program is no entry of ours. */
    private static final int MAX_INSNS = 4096;

    /** What the entry of a launch starts with: its header and metadata, the program follows. */
    private record Head(String mode, byte[] metadata) {
        byte[] bytes(byte[] program) {
            byte[] head = ("attenuator-program 1 " + mode + " " + program.length / 8 + " " + metadata.length + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(head.length + metadata.length + program.length).put(head).put(metadata).put(program)
                    .array();
        }
    }

    private ProgramCacheEntry() {
    }

    /**
     * The program the entry holds, when an earlier launch of the same profile stored it in this
     * launch's mode with this launch's metadata: compiling it again would give the same bytes (the
     * entry's name covers the profile's text, the arch, the capabilities, the build and the kernel).
     * Empty when there is no such entry, or one this process cannot trust or read (the launch then
     * compiles, and {@link #store} replaces it).
     */
    static Optional<byte[]> load(Launch launch, LaunchPlan plan, boolean routed) {
        Optional<Head> expected = head(launch, plan, routed);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        Path file = launch.programCache().orElseThrow();
        try (StrictDirectory dir = StrictDirectory.open(file.getParent())) {
            return dir.read(file.getFileName().toString(), maxBytes(expected.get()))
                    .flatMap(entry -> program(expected.get(), entry.bytes()));
        } catch (IOException e) {
            LOG.debug("not reading the program from {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes the entry to {@link Launch#programCache()} after {@link #load} found no usable one (so
     * whatever is there is not this launch's entry); a failure is logged, never the launch's.
     */
    static void store(Launch launch, LaunchPlan plan, boolean routed, byte[] program) {
        Optional<Head> head = head(launch, plan, routed);
        if (head.isEmpty()) {
            return;
        }
        Path file = launch.programCache().orElseThrow();
        try (StrictDirectory dir = StrictDirectory.create(file.getParent())) {
            // renamed over whatever was there, never written through it
            dir.replace(file.getFileName().toString(), head.get().bytes(program));
        } catch (IOException e) {
            LOG.debug("not caching the program in {}: {}", file, e.getMessage());
        }
    }

    /** The head of this launch's entry; empty for a launch that has none. */
    private static Optional<Head> head(Launch launch, LaunchPlan plan, boolean routed) {
        if (launch.programCache().isEmpty()) {
            return Optional.empty();
        }
        if (launch.mode() == Mode.KERNEL_ONLY && !plan.controlled()) {
            return Optional.of(new Head("kernel", new byte[0]));
        }
        if (launch.mode() != Mode.KERNEL_ONLY && !routed) {
            try {
                return Optional.of(new Head("agent", AgentHandover.metadata(launch).getBytes(StandardCharsets.UTF_8)));
            } catch (LaunchException e) {
                LOG.debug("no program cache entry for {}: {}", launch, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static int maxBytes(Head head) {
        return head.bytes(new byte[0]).length + 20 + MAX_INSNS * 8; // up to 20 more digits in the header
    }

    /** The program after {@code expected}'s header and metadata; empty if the entry has another head or no whole program. */
    private static Optional<byte[]> program(Head expected, byte[] entry) {
        int newline = indexOf(entry, (byte) '\n');
        String[] fields = newline < 0 ? new String[0]
                : new String(entry, 0, newline, StandardCharsets.US_ASCII).split(" ", -1);
        if (fields.length != 5 || !fields[0].equals("attenuator-program") || !fields[1].equals("1")
                || !fields[2].equals(expected.mode()) || !fields[4].equals(Integer.toString(expected.metadata().length))) {
            return Optional.empty();
        }
        int start = newline + 1 + expected.metadata().length;
        long insns = parseCount(fields[3]);
        if (insns < 1 || insns > MAX_INSNS || start + insns * 8 != entry.length
                || !Arrays.equals(entry, newline + 1, start, expected.metadata(), 0, expected.metadata().length)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(entry, start, entry.length));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static long parseCount(String digits) {
        return digits.matches("[1-9][0-9]{0,3}") ? Long.parseLong(digits) : -1;
    }
}
