package org.attenuator.core.internal.launch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.attenuator.bpf.CompileException;
import org.attenuator.core.IntakeSettings;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchProfile;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.UnixSocket;
import org.attenuator.profile.ProfileFiles;

/**
 * Hands a listener to a running agent the way runc does (OCI runtime spec, seccomp agent): one
 * JSON ContainerProcessState with the listener in SCM_RIGHTS, named "seccompFd" in {@code fds},
 * then the connection is closed; no reply is read. The profile goes by name if it is built in, else
 * as its text ({@code profileText}, base64) with its name.
 */
final class AgentHandover {

    static final String OCI_VERSION = "1.0.2";
    /** What the profile's text may take of an agent message (the rest is room for the other fields). */
    /** The metadata keys the message sets itself. */
    private static final Set<String> RESERVED_KEYS = Set.of("profile", "profileText", "executable", "source", "applyPoint");
    static final int MAX_PROFILE_TEXT = IntakeSettings.MAX_MESSAGE_BYTES - 16 * 1024;

    private AgentHandover() {
    }

    /** Connects before anything is spawned, so an agent that is gone fails the launch cleanly. */
    static UnixSocket connect(Path socket) throws LaunchException {
        try {
            return UnixSocket.connect(socket.toString());
        } catch (NativeException e) {
            throw new LaunchException(Reason.AGENT_UNREACHABLE, "agent socket " + socket + ": " + e.getMessage(), e);
        }
    }

    static byte[] message(long pid, Launch launch, Path executable) throws LaunchException {
        // the node factory, not an ObjectMapper: every supervised run loads this class (metadata) and
        // would otherwise set up jackson-databind's configuration and date formats for nothing
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("ociVersion", OCI_VERSION);
        root.putArray("fds").add("seccompFd");
        root.put("pid", pid);
        root.put("metadata", metadata(launch) + "\nexecutable=" + executable);
        ObjectNode state = root.putObject("state");
        state.put("ociVersion", OCI_VERSION);
        state.put("id", "attenuator-launch-" + pid);
        state.put("status", "running");
        state.put("pid", pid);
        state.put("bundle", launch.directory().orElse(Path.of("").toAbsolutePath()).toString());
        state.putObject("annotations").put("org.attenuator.executable", executable.toString());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every metadata line but {@code executable=}, the last one: what attenuator-client finds in the
     * program cache and sends with the executable it resolved.
     */
    static String metadata(Launch launch) throws LaunchException {
        String metadata = "profile=" + launch.profile().name() + profileText(launch.profile()) + "\nsource=launch";
        if (!launch.applyPoint().isEmpty()) {
            metadata += "\napplyPoint=" + String.join(",", launch.applyPoint()); // the agent builds the same tree policy
        }
        return metadata + properties(launch);
    }

    /**
     * The launch's tree properties as metadata lines ({@code fallback=allow}): the agent's tree gets
     * them as {@code meta.KEY}, which is where the plugins that honour a peer's choice read it (the
     * fallback plugin reads {@code meta.fallback}). A key the message itself uses, or a line break,
     * would let one property rewrite another: refused.
     */
    static String properties(Launch launch) throws LaunchException {
        StringBuilder lines = new StringBuilder();
        for (var p : launch.properties().entrySet()) {
            String key = p.getKey(), value = String.valueOf(p.getValue());
            if (RESERVED_KEYS.contains(key) || key.contains("=") || (key + value).contains("\n")) {
                throw new LaunchException(Reason.BAD_PROFILE, "tree property '" + key.replace("\n", "\\n")
                        + "' cannot travel to an agent as metadata");
            }
            lines.append('\n').append(key).append('=').append(value);
        }
        return lines.toString();
    }

    /**
     * The profile file's text as a {@code profileText} metadata line (base64): the agent never
     * opens a path a peer names, so the user's own file, wherever it lies, travels in the message.
     * Empty for a built-in profile, which the agent knows by name.
     */
    static String profileText(LaunchProfile profile) throws LaunchException {
        if (profile.source().isEmpty()) {
            return "";
        }
        Path file = profile.source().get();
        String text;
        try {
            text = ProfileFiles.read(file);
        } catch (CompileException e) {
            throw new LaunchException(Reason.BAD_PROFILE, "profile " + e.getMessage(), e);
        }
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        if (encoded.length() > MAX_PROFILE_TEXT) {
            throw new LaunchException(Reason.BAD_PROFILE, "profile " + file + ": too large to hand to an agent ("
                    + encoded.length() + " bytes in base64, at most " + MAX_PROFILE_TEXT + ")");
        }
        return "\nprofileText=" + encoded;
    }

    static void send(UnixSocket agent, NotifyListener listener, long pid, Launch launch, Path executable)
            throws LaunchException {
        try {
            agent.sendFully(message(pid, launch, executable), listener);
        } catch (IOException e) {
            throw new LaunchException(Reason.AGENT_UNREACHABLE, "handing the tree to the agent: " + e.getMessage(), e);
        }
    }
}
