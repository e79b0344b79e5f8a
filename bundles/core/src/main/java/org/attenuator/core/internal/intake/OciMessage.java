package org.attenuator.core.internal.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON document of the OCI seccomp agent protocol (runc, crun): the names of the passed
 * fds, the pid that owns the filter, the verbatim {@code listenerMetadata} and the container
 * state. {@code ociVersion} is not checked: crun sends "0.2.0".
 *
 * @param fdNames the {@code fds} names, in the order the fds came
 * @param pid the process that owns the filter
 * @param metadata the {@code metadata} string, "" when absent
 * @param state the container state; empty fields when absent
 */
record OciMessage(List<String> fdNames, long pid, String metadata, State state) {

    static final String SECCOMP_FD = "seccompFd";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The container's state as the runtime reports it. */
    record State(String id, String status, long pid, String bundle, Map<String, String> annotations) {
    }

    static OciMessage parse(byte[] bytes, int length) throws MalformedMessageException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes, 0, length);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMessageException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        List<String> fdNames = fdNames(root.get("fds"));
        State state = state(root.get("state"));
        long pid = root.path("pid").asLong(state.pid());
        if (pid <= 0) {
            throw new MalformedMessageException("no pid");
        }
        return new OciMessage(fdNames, pid, text(root, "metadata"), state);
    }

    /** Where the listener is among the passed fds. */
    int seccompFdIndex() throws MalformedMessageException {
        int index = fdNames.indexOf(SECCOMP_FD);
        if (index < 0) {
            throw new MalformedMessageException("no \"" + SECCOMP_FD + "\" in fds " + fdNames);
        }
        return index;
    }

    private static List<String> fdNames(JsonNode fds) throws MalformedMessageException {
        if (fds == null || !fds.isArray()) {
            throw new MalformedMessageException("no \"fds\" array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : fds) {
            if (!n.isTextual()) {
                throw new MalformedMessageException("\"fds\" holds a non-string: " + n);
            }
            names.add(n.asText());
        }
        return List.copyOf(names);
    }

    private static State state(JsonNode state) {
        if (state == null || !state.isObject()) {
            return new State("", "", 0, "", Map.of());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        state.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new State(text(state, "id"), text(state, "status"), state.path("pid").asLong(0), text(state, "bundle"),
                Map.copyOf(annotations));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
