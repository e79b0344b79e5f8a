package org.attenuator.plugin.learning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.attenuator.plugin.learning.ContainerRuntime;
import org.attenuator.plugin.learning.LearnedProfile;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.SyscallEntry;

/**
 * A learned profile as security-profiles-operator {@code SeccompProfile} resources, in JSON (which
 * {@code kubectl apply -f} takes as it takes YAML).
 *
 * <p>For a runtime, the output is a {@code v1} {@code List} of two resources: the runtime's base
 * profile (named {@link ContainerRuntime#baseProfileName()}, {@code runc-v1.1.5}, with the runtime's
 * base syscalls), which SPO wants in the same namespace before it accepts a profile naming it, and
 * the learned profile with {@code spec.baseProfileName} naming it. The learned profile also lists the
 * base syscalls itself, as {@code spoc record} does, so it still starts a container when it is used
 * without its base (copied to a node as plain JSON). Without a runtime: the learned resource alone.
 */
final class SpoExport {

    static final String API_VERSION = "security-profiles-operator.x-k8s.io/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpoExport() {
    }

    static String toJson(LearnedProfile learned, ContainerRuntime runtime) {
        ObjectNode profile = resource(resourceName(learned.key()), RuntimeBase.addTo(learned.profile(), runtime));
        ((ObjectNode) profile.get("metadata")).putObject("annotations").put("attenuator.org/learning-key", learned.key());
        ObjectNode root = profile;
        if (runtime.baseProfileName().isPresent()) {
            String baseName = runtime.baseProfileName().get();
            // SPO's field order: baseProfileName next to defaultAction
            ObjectNode spec = (ObjectNode) profile.get("spec");
            ObjectNode ordered = MAPPER.createObjectNode();
            ordered.put("baseProfileName", baseName);
            ordered.setAll(spec);
            profile.set("spec", ordered);
            Profile base = new Profile(learned.profile().defaultAction(), learned.profile().defaultErrnoRet(),
                    learned.profile().architectures(), List.of(),
                    List.of(new SyscallEntry(runtime.baseSyscalls(), null, ProfileCodec.ALLOW, null, List.of(),
                            RuntimeBase.comment(runtime), null, null, java.util.Map.of())),
                    List.of(), null, null, null, java.util.Map.of());
            root = MAPPER.createObjectNode();
            root.put("apiVersion", "v1");
            root.put("kind", "List");
            ArrayNode items = root.putArray("items");
            items.add(resource(baseName, base));
            items.add(profile);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One {@code SeccompProfile}. Its syscall entries have no {@code includes} (SPO has none), so an
     * entry learned on some architectures only applies to all of the profile's architectures there.
     */
    private static ObjectNode resource(String name, Profile p) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", "SeccompProfile");
        root.putObject("metadata").put("name", name);
        ObjectNode spec = root.putObject("spec");
        spec.put("defaultAction", p.defaultAction());
        ArrayNode arches = spec.putArray("architectures");
        p.architectures().forEach(arches::add);
        ArrayNode syscalls = spec.putArray("syscalls");
        for (SyscallEntry e : p.syscalls()) {
            ObjectNode o = syscalls.addObject();
            ArrayNode names = o.putArray("names");
            e.allNames().forEach(names::add);
            o.put("action", e.action());
            if (!e.args().isEmpty()) {
                ArrayNode args = o.putArray("args");
                for (ArgEntry a : e.args()) {
                    ObjectNode ao = args.addObject();
                    ao.put("index", a.index());
                    ao.put("value", new BigInteger(Long.toUnsignedString(a.value())));
                    ao.put("valueTwo", new BigInteger(Long.toUnsignedString(a.valueTwo())));
                    ao.put("op", a.op());
                }
            }
        }
        return root;
    }

    /** A Kubernetes object name (RFC 1123 subdomain) for a key: lower case, [a-z0-9.-], at most 253. */
    static String resourceName(String key) {
        String name = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("^[.-]+|[.-]+$", "");
        if (name.length() > 200) {
            name = name.substring(0, 200).replaceAll("[.-]+$", "");
        }
        return name.isEmpty() ? "learned-" + FileNames.shortHash(key) : name;
    }
}
