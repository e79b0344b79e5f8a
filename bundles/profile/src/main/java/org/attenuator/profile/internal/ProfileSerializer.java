package org.attenuator.profile.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.attenuator.profile.AttenuatorSettings;
import org.attenuator.profile.AttenuatorSettings.Fallback;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.ArchMapEntry;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/** Turns a {@link Profile} back into a JSON tree, unknown fields included; absent optional fields stay absent. */
public final class ProfileSerializer {

    private final ObjectMapper mapper;

    public ProfileSerializer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode toTree(Profile p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("defaultAction", p.defaultAction());
        putIfPresent(o, "defaultErrnoRet", p.defaultErrnoRet());
        putStrings(o, "architectures", p.architectures());
        if (!p.archMap().isEmpty()) {
            ArrayNode maps = o.putArray("archMap");
            p.archMap().forEach(m -> maps.add(archMapEntry(m)));
        }
        ArrayNode syscalls = o.putArray("syscalls");
        p.syscalls().forEach(s -> syscalls.add(syscall(s)));
        putStrings(o, "flags", p.flags());
        putIfPresent(o, "listenerPath", p.listenerPath());
        putIfPresent(o, "listenerMetadata", p.listenerMetadata());
        if (p.attenuator() != null) {
            o.set("attenuator", attenuator(p.attenuator()));
        }
        return withOthers(o, p.otherFields());
    }

    private ObjectNode archMapEntry(ArchMapEntry m) {
        ObjectNode o = mapper.createObjectNode();
        o.put("architecture", m.architecture());
        o.set("subArchitectures", strings(m.subArchitectures()));
        return withOthers(o, m.otherFields());
    }

    private ObjectNode syscall(SyscallEntry s) {
        ObjectNode o = mapper.createObjectNode();
        if (!s.names().isEmpty() || s.name() == null) {
            o.set("names", strings(s.names()));
        }
        putIfPresent(o, "name", s.name());
        o.put("action", s.action());
        putIfPresent(o, "errnoRet", s.errnoRet());
        if (!s.args().isEmpty()) {
            ArrayNode args = o.putArray("args");
            s.args().forEach(a -> args.add(arg(a)));
        }
        putIfPresent(o, "comment", s.comment());
        if (!s.includes().isEmpty()) {
            o.set("includes", filter(s.includes()));
        }
        if (!s.excludes().isEmpty()) {
            o.set("excludes", filter(s.excludes()));
        }
        return withOthers(o, s.otherFields());
    }

    private ObjectNode arg(ArgEntry a) {
        ObjectNode o = mapper.createObjectNode();
        o.put("index", a.index());
        o.put("value", unsigned(a.value()));
        o.put("valueTwo", unsigned(a.valueTwo()));
        o.put("op", a.op());
        return withOthers(o, a.otherFields());
    }

    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    private ObjectNode filter(Filter f) {
        ObjectNode o = mapper.createObjectNode();
        putStrings(o, "arches", f.arches());
        putStrings(o, "caps", f.caps());
        putIfPresent(o, "minKernel", f.minKernel());
        return withOthers(o, f.otherFields());
    }

    private ObjectNode attenuator(AttenuatorSettings a) {
        ObjectNode o = mapper.createObjectNode();
        putStrings(o, "notify", a.notifiedSyscalls());
        o.put("undecided", a.undecided().toString());
        putStrings(o, "applyPoint", a.applyPoint());
        putIfPresent(o, "learningKey", a.learningKey());
        if (a.fallback() != null) {
            Fallback f = a.fallback();
            ObjectNode fo = o.putObject("fallback");
            fo.put("default", f.defaultDecision().toString());
            ObjectNode table = fo.putObject("syscalls");
            f.syscalls().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> table.put(e.getKey(), e.getValue().toString()));
            withOthers(fo, f.otherFields());
        }
        return withOthers(o, a.otherFields());
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode a = mapper.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private void putStrings(ObjectNode o, String field, List<String> values) {
        if (!values.isEmpty()) {
            o.set(field, strings(values));
        }
    }

    private static void putIfPresent(ObjectNode o, String field, Object value) {
        if (value instanceof String s) {
            o.put(field, s);
        } else if (value instanceof Integer i) {
            o.put(field, i);
        }
    }

    private ObjectNode withOthers(ObjectNode o, Map<String, Object> others) {
        others.forEach((k, v) -> o.set(k, mapper.valueToTree(v)));
        return o;
    }
}
