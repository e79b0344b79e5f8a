package org.attenuator.bpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * System call names and numbers of one architecture, generated from the kernel UAPI headers by
 * {@code src/main/scripts/gen-syscall-tables.sh}. x32 numbers include {@link Arch#X32_SYSCALL_BIT}.
 */
public final class SyscallTable {

    private static final Map<Arch, SyscallTable> TABLES = new EnumMap<>(Arch.class);

    private final Arch arch;
    private final Map<String, Integer> numbers;
    private final Map<Integer, String> names;

    private SyscallTable(Arch arch, Map<String, Integer> numbers) {
        this.arch = arch;
        this.numbers = Collections.unmodifiableMap(numbers);
        Map<Integer, String> byNumber = new TreeMap<>();
        numbers.forEach((name, nr) -> byNumber.putIfAbsent(nr, name));
        this.names = Collections.unmodifiableMap(byNumber);
    }

    public static synchronized SyscallTable of(Arch arch) {
        return TABLES.computeIfAbsent(arch, SyscallTable::load);
    }

    /**
     * Whether the name is a system call anywhere: on one of our architectures, or on one we have
     * no number table for (libseccomp's names, see src/main/scripts/gen-other-arch-names.py).
     */
    public static boolean isKnownAnywhere(String name) {
        for (Arch arch : Arch.values()) {
            if (of(arch).number(name).isPresent()) {
                return true;
            }
        }
        return OtherArches.NAMES.contains(name);
    }

    /** Loaded on first use. */
    private static final class OtherArches {
        static final Set<String> NAMES = Set.copyOf(lines("internal/tables/other-arches.txt"));
    }

    public Arch arch() {
        return arch;
    }

    public OptionalInt number(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    public Optional<String> name(int nr) {
        return Optional.ofNullable(names.get(nr));
    }

    /** Every name, in number order. */
    public Set<String> names() {
        return numbers.keySet();
    }

    /** Every number, ascending. */
    public Set<Integer> numbers() {
        return names.keySet();
    }

    private static SyscallTable load(Arch arch) {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (String line : lines("internal/tables/" + arch.name().toLowerCase(Locale.ROOT) + ".tsv")) {
            String[] fields = line.split(" ");
            numbers.put(fields[0], Integer.parseUnsignedInt(fields[1]));
        }
        return new SyscallTable(arch, numbers);
    }

    private static List<String> lines(String resource) {
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing syscall table " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            return reader.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("reading syscall table " + resource, e);
        }
    }
}
