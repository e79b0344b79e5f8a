package org.attenuator.profile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Op;
import org.attenuator.profile.AttenuatorSettings;
import org.attenuator.profile.AttenuatorSettings.Decision;
import org.attenuator.profile.AttenuatorSettings.Fallback;
import org.attenuator.profile.Profile;
import org.attenuator.profile.Profile.ArchMapEntry;
import org.attenuator.profile.Profile.ArgEntry;
import org.attenuator.profile.Profile.Filter;
import org.attenuator.profile.Profile.SyscallEntry;

/** Turns a parsed JSON tree into a {@link Profile}, checking every field it knows. */
public final class ProfileParser {

    /** libseccomp's architecture names (a profile may name arches we have no table for). */
    static final Set<String> SCMP_ARCHES = Set.of("SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
            "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
            "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
            "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
            "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
            "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    private static final int ERRNO_MAX = 0xffff;

    // The fields of each object of the OCI runtime spec's and moby's seccomp format, and of our own
    // section; any other field is refused (JsonObjectReader).
    private static final Set<String> PROFILE_FIELDS = Set.of("defaultAction", "defaultErrnoRet", "architectures",
            "archMap", "syscalls", "flags", "listenerPath", "listenerMetadata", "attenuator");
    private static final Set<String> ARCH_MAP_FIELDS = Set.of("architecture", "subArchitectures");
    private static final Set<String> SYSCALL_FIELDS = Set.of("names", "name", "action", "errnoRet", "args", "comment",
            "includes", "excludes");
    private static final Set<String> ARG_FIELDS = Set.of("index", "value", "valueTwo", "op");
    private static final Set<String> FILTER_FIELDS = Set.of("arches", "caps", "minKernel");
    /** Ours; handlers, initOnly and learning are read where they apply (core, the learning plugin). */
    private static final Set<String> ATTENUATOR_FIELDS = Set.of("notify", "undecided", "applyPoint", "learningKey",
            "fallback", "handlers", "initOnly", "learning");
    private static final Set<String> FALLBACK_FIELDS = Set.of("default", "syscalls");

    public Profile parse(JsonNode root) throws CompileException {
        JsonObjectReader r = new JsonObjectReader(root, "", PROFILE_FIELDS);
        String defaultAction = action(r, "defaultAction");
        Integer defaultErrnoRet = r.unsignedInt("defaultErrnoRet", ERRNO_MAX);
        List<String> architectures = arches(r, "architectures");
        List<ArchMapEntry> archMap = new ArrayList<>();
        List<JsonNode> maps = r.array("archMap");
        for (int i = 0; i < maps.size(); i++) {
            archMap.add(archMapEntry(new JsonObjectReader(maps.get(i), "archMap[" + i + "]", ARCH_MAP_FIELDS)));
        }
        List<SyscallEntry> syscalls = new ArrayList<>();
        List<JsonNode> entries = r.array("syscalls");
        for (int i = 0; i < entries.size(); i++) {
            syscalls.add(syscall(new JsonObjectReader(entries.get(i), "syscalls[" + i + "]", SYSCALL_FIELDS)));
        }
        List<String> flags = r.strings("flags");
        String listenerPath = r.string("listenerPath");
        String listenerMetadata = r.string("listenerMetadata");
        JsonObjectReader ext = r.object("attenuator", ATTENUATOR_FIELDS);
        AttenuatorSettings attenuator = ext == null ? null : attenuator(ext);
        return new Profile(defaultAction, defaultErrnoRet, architectures, archMap, syscalls, flags, listenerPath,
                listenerMetadata, attenuator, r.otherFields());
    }

    private static String action(JsonObjectReader r, String field) throws CompileException {
        String name = r.requiredString(field);
        if (Action.Kind.fromScmpName(name).isEmpty()) {
            throw new CompileException(Reason.UNKNOWN_ACTION, r.path(field), "unknown action \"" + name + "\"");
        }
        return name;
    }

    private static List<String> arches(JsonObjectReader r, String field) throws CompileException {
        List<String> arches = r.strings(field);
        for (int i = 0; i < arches.size(); i++) {
            requireScmpArch(arches.get(i), r.path(field) + "[" + i + "]");
        }
        return arches;
    }

    private static void requireScmpArch(String name, String path) throws CompileException {
        if (!SCMP_ARCHES.contains(name)) {
            throw new CompileException(Reason.UNKNOWN_ARCHITECTURE, path, "unknown architecture \"" + name + "\"");
        }
    }

    private static ArchMapEntry archMapEntry(JsonObjectReader r) throws CompileException {
        String architecture = r.requiredString("architecture");
        requireScmpArch(architecture, r.path("architecture"));
        return new ArchMapEntry(architecture, arches(r, "subArchitectures"), r.otherFields());
    }

    private SyscallEntry syscall(JsonObjectReader r) throws CompileException {
        List<String> names = r.strings("names");
        String name = r.string("name");
        if (names.isEmpty() && (name == null || name.isEmpty())) {
            throw new CompileException(Reason.EMPTY_NAMES, r.path("names"), "must name at least one system call");
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                throw new CompileException(Reason.EMPTY_NAMES, r.path("names") + "[" + i + "]", "must not be empty");
            }
        }
        String action = action(r, "action");
        Integer errnoRet = r.unsignedInt("errnoRet", ERRNO_MAX);
        List<ArgEntry> args = new ArrayList<>();
        List<JsonNode> argNodes = r.array("args");
        for (int i = 0; i < argNodes.size(); i++) {
            args.add(arg(new JsonObjectReader(argNodes.get(i), r.path("args") + "[" + i + "]", ARG_FIELDS)));
        }
        String comment = r.string("comment");
        Filter includes = filter(r.object("includes", FILTER_FIELDS));
        Filter excludes = filter(r.object("excludes", FILTER_FIELDS));
        return new SyscallEntry(names, name, action, errnoRet, args, comment, includes, excludes, r.otherFields());
    }

    private static ArgEntry arg(JsonObjectReader r) throws CompileException {
        Integer index = r.unsignedInt("index", Integer.MAX_VALUE);
        if (index == null) {
            throw new CompileException(Reason.MISSING_FIELD, r.path("index"), "is required");
        }
        if (index >= Condition.MAX_ARGS) {
            throw new CompileException(Reason.ARGUMENT_INDEX, r.path("index"), "must be 0.." + (Condition.MAX_ARGS - 1));
        }
        long value = r.unsignedLong("value", 0);
        long valueTwo = r.unsignedLong("valueTwo", 0);
        String op = r.requiredString("op");
        if (Op.fromScmpName(op).isEmpty()) {
            throw new CompileException(Reason.UNKNOWN_OPERATOR, r.path("op"), "unknown operator \"" + op + "\"");
        }
        return new ArgEntry(index, value, valueTwo, op, r.otherFields());
    }

    private static Filter filter(JsonObjectReader r) throws CompileException {
        if (r == null) {
            return Filter.NONE;
        }
        return new Filter(r.strings("arches"), r.strings("caps"), r.string("minKernel"), r.otherFields());
    }

    private static AttenuatorSettings attenuator(JsonObjectReader r) throws CompileException {
        List<String> notify = r.strings("notify");
        Decision undecided = decision(r, "undecided", AttenuatorSettings.DEFAULT_UNDECIDED);
        List<String> applyPoint = r.strings("applyPoint");
        String learningKey = r.string("learningKey");
        JsonObjectReader f = r.object("fallback", FALLBACK_FIELDS);
        Fallback fallback = f == null ? null : fallback(f);
        return new AttenuatorSettings(notify, undecided, applyPoint, learningKey, fallback, r.otherFields());
    }

    private static Fallback fallback(JsonObjectReader r) throws CompileException {
        Decision byDefault = decision(r, "default", null);
        if (byDefault == null) {
            throw new CompileException(Reason.MISSING_FIELD, r.path("default"), "is required");
        }
        Map<String, Decision> syscalls = new LinkedHashMap<>();
        JsonObjectReader table = r.object("syscalls", null);
        if (table != null) {
            List<String> names = new ArrayList<>();
            r.node("syscalls").fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                syscalls.put(name, decision(table, name, null));
            }
        }
        return new Fallback(byDefault, syscalls, r.otherFields());
    }

    private static Decision decision(JsonObjectReader r, String field, Decision absent) throws CompileException {
        String text = r.string(field);
        if (text == null) {
            return absent;
        }
        return Decision.parse(text).orElseThrow(() -> new CompileException(Reason.INVALID_VALUE, r.path(field),
                "must be allow, kill or errno:NAME, not \"" + text + "\""));
    }
}
