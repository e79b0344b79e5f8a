package org.attenuator.profile;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI / Docker seccomp profile. Optional fields are null (scalars) or empty (lists) when
 * absent. {@code otherFields} holds fields this model does not name, written back as they are;
 * {@link ProfileReader} refuses a field the format does not have, so a profile it read has none at
 * this level.
 */
public record Profile(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
        List<ArchMapEntry> archMap, List<SyscallEntry> syscalls, List<String> flags, String listenerPath,
        String listenerMetadata, AttenuatorSettings attenuator, Map<String, Object> otherFields) {

    public Profile {
        Objects.requireNonNull(defaultAction, "defaultAction");
        architectures = List.copyOf(architectures);
        archMap = List.copyOf(archMap);
        syscalls = List.copyOf(syscalls);
        flags = List.copyOf(flags);
        otherFields = Fields.copy(otherFields);
    }

    /** {@code {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", ...]}}. */
    public record ArchMapEntry(String architecture, List<String> subArchitectures, Map<String, Object> otherFields) {

        public ArchMapEntry {
            Objects.requireNonNull(architecture, "architecture");
            subArchitectures = List.copyOf(subArchitectures);
            otherFields = Fields.copy(otherFields);
        }
    }

    /**
     * One entry of {@code syscalls}: the names (plus the deprecated single {@code name}), the action
     * with its errno, conditions on arguments (all must hold), and when the entry applies.
     */
    public record SyscallEntry(List<String> names, String name, String action, Integer errnoRet, List<ArgEntry> args,
            String comment, Filter includes, Filter excludes, Map<String, Object> otherFields) {

        public SyscallEntry {
            names = List.copyOf(names);
            Objects.requireNonNull(action, "action");
            args = List.copyOf(args);
            includes = includes == null ? Filter.NONE : includes;
            excludes = excludes == null ? Filter.NONE : excludes;
            otherFields = Fields.copy(otherFields);
        }

        /** {@code names} and the deprecated {@code name}, in that order. */
        public List<String> allNames() {
            if (name == null) {
                return names;
            }
            List<String> all = new java.util.ArrayList<>(names);
            all.add(name);
            return all;
        }
    }

    /**
     * One argument condition; {@code value} and {@code valueTwo} are unsigned 64-bit numbers
     * held in a long; {@code op} is an SCMP_CMP_* name.
     */
    public record ArgEntry(int index, long value, long valueTwo, String op, Map<String, Object> otherFields) {

        public ArgEntry {
            Objects.requireNonNull(op, "op");
            otherFields = Fields.copy(otherFields);
        }
    }

    /** {@code includes} / {@code excludes}: by architecture (Go names), capabilities and minimum kernel. */
    public record Filter(List<String> arches, List<String> caps, String minKernel, Map<String, Object> otherFields) {

        public static final Filter NONE = new Filter(List.of(), List.of(), null, Map.of());

        public Filter {
            arches = List.copyOf(arches);
            caps = List.copyOf(caps);
            otherFields = Fields.copy(otherFields);
        }

        public boolean isEmpty() {
            return arches.isEmpty() && caps.isEmpty() && minKernel == null && otherFields.isEmpty();
        }
    }
}
