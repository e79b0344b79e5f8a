package org.attenuator.core.internal.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.attenuator.core.Launch;
import org.attenuator.core.LaunchException;
import org.attenuator.core.LaunchException.Reason;
import org.attenuator.linux.NativeException;
import org.attenuator.linux.NotifyListener;
import org.attenuator.linux.UnixSocket;

/**
 * Hands a listener to a running agent the way runc does (OCI runtime spec, seccomp agent): one
 * JSON ContainerProcessState with the listener in SCM_RIGHTS, named "seccompFd" in {@code fds},
 * then the connection is closed; no reply is read.
 */
final class AgentHandover {

    static final String OCI_VERSION = "1.0.2";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    static byte[] message(long pid, Launch launch, Path executable) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ociVersion", OCI_VERSION);
        root.putArray("fds").add("seccompFd");
        root.put("pid", pid);
        String profile = launch.profile().source().map(Path::toString).orElse(launch.profile().name());
        String metadata = "profile=" + profile + "\nexecutable=" + executable + "\nsource=launch";
        if (!launch.applyPoint().isEmpty()) {
            metadata += "\napplyPoint=" + String.join(",", launch.applyPoint()); // the agent builds the same tree policy
        }
        root.put("metadata", metadata);
        ObjectNode state = root.putObject("state");
        state.put("ociVersion", OCI_VERSION);
        state.put("id", "attenuator-launch-" + pid);
        state.put("status", "running");
        state.put("pid", pid);
        state.put("bundle", launch.directory().orElse(Path.of("").toAbsolutePath()).toString());
        state.putObject("annotations").put("org.attenuator.executable", executable.toString());
        return root.toString().getBytes(StandardCharsets.UTF_8);
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
