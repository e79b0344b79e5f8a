package org.attenuator.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BuildStatistics;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Disassembler;
import org.attenuator.core.Json;

/** The {@code compile --format stats --json} document (docs/json.md): sizes, kinds, path, per-architecture counts. */
final class CompileStatisticsJson {

    private CompileStatisticsJson() {
    }

    static ObjectNode of(String profile, CompiledFilter filter) {
        BuildStatistics stats = filter.statistics();
        ObjectNode root = Json.object().put("profile", profile).put("instructions", filter.program().size())
                .put("longestPath", Disassembler.longestPath(filter.program()));
        ObjectNode kinds = root.putObject("instructionKinds");
        Disassembler.instructionKinds(filter.program()).forEach(kinds::put);
        ArrayNode arches = root.putArray("architectures");
        stats.syscallsWithRules().keySet().stream().sorted(Comparator.comparing(Arch::scmpName)).forEach(arch -> arches
                .addObject().put("arch", arch.scmpName()).put("syscallsWithRules", stats.syscallsWithRules().get(arch))
                .put("argumentFreeSyscalls", stats.argumentFreeSyscalls().getOrDefault(arch, 0)));
        root.put("passRounds", stats.passRounds()).put("compileMillis", stats.compileNanos() / 1e6);
        return root;
    }
}
