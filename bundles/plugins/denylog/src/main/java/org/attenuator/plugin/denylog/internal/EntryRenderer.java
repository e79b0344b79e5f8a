package org.attenuator.plugin.denylog.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.attenuator.api.Decision;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.SyscallEvent;
import org.attenuator.profile.Errno;

/** One deny-log entry as one line of JSON (no newline inside; strings escaped by Jackson). */
final class EntryRenderer {

    private static final JsonFactory JSON = new JsonFactory();

    private EntryRenderer() {
    }

    /** The kind of entry: a decision sent, a decision that audit mode turned into allow, a summary of drops. */
    enum Kind {
        DENY("deny"), KILL("kill"), AUDIT("audit"), DROPPED("dropped");

        final String json;

        Kind(String json) {
            this.json = json;
        }
    }

    static String entry(Instant time, Kind kind, SyscallEvent event, ProcessInfo process, ArgDecoder.Decoded decoded,
            Decision decision, String decidedBy, long droppedBefore) {
        return write(g -> {
            g.writeStringField("time", time.toString());
            g.writeStringField("event", kind.json);
            SupervisedTree tree = event.tree();
            g.writeStringField("tree", tree.id());
            if (process.pid() > 0) {
                g.writeNumberField("pid", process.pid());
            }
            g.writeNumberField("tid", event.pid());
            String exe = process.executable();
            if (exe == null && tree.properties().get(SupervisedTree.EXECUTABLE) != null) {
                exe = String.valueOf(tree.properties().get(SupervisedTree.EXECUTABLE));
            }
            writeNullable(g, "exe", exe);
            if (process.commandLine() != null) {
                g.writeArrayFieldStart("cmdline");
                for (String a : process.commandLine()) {
                    g.writeString(a);
                }
                g.writeEndArray();
            }
            g.writeStringField("syscall", event.syscall().name());
            g.writeStringField("arch", event.syscall().arch());
            g.writeNumberField("nr", event.syscall().number());
            if (!decoded.args().isEmpty()) {
                g.writeObjectFieldStart("args");
                for (Map.Entry<String, Object> e : decoded.args().entrySet()) {
                    writeValue(g, e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeArrayFieldStart("raw");
            for (int i = 0; i < 6; i++) {
                g.writeString(ArgDecoder.pointer(event.arg(i)));
            }
            g.writeEndArray();
            g.writeStringField("decision", decision.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (decision.kind() == Decision.Kind.DENY) {
                g.writeStringField("errno", Errno.name(decision.errno()));
            }
            g.writeStringField("decidedBy", decidedBy);
            if (decoded.targetGone()) {
                g.writeStringField("note", "target gone");
            }
            if (droppedBefore > 0) {
                g.writeNumberField("dropped", droppedBefore);
            }
        });
    }

    static String dropped(Instant time, RateLimiter.Dropped d) {
        return write(g -> {
            g.writeStringField("time", time.toString());
            g.writeStringField("event", Kind.DROPPED.json);
            g.writeStringField("tree", d.tree());
            int slash = d.syscall().lastIndexOf('/');
            g.writeStringField("syscall", d.syscall().substring(0, slash));
            g.writeStringField("arch", d.syscall().substring(slash + 1));
            g.writeNumberField("dropped", d.count());
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeNullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    private static void writeValue(JsonGenerator g, String field, Object value) throws IOException {
        if (value instanceof Long l) {
            g.writeNumberField(field, l);
        } else if (value instanceof List<?> list) {
            g.writeArrayFieldStart(field);
            for (Object o : list) {
                g.writeString(String.valueOf(o));
            }
            g.writeEndArray();
        } else {
            g.writeStringField(field, String.valueOf(value));
        }
    }
}
