package org.attenuator.bpf.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.BpfInterpreter;
import org.attenuator.bpf.BpfProgram;
import org.attenuator.bpf.BuildStatistics;
import org.attenuator.bpf.CompileException;
import org.attenuator.bpf.CompileException.Reason;
import org.attenuator.bpf.CompileOptions;
import org.attenuator.bpf.CompiledFilter;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Disassembler;
import org.attenuator.bpf.Explanation;
import org.attenuator.bpf.FilterCompiler;
import org.attenuator.bpf.Policy;
import org.attenuator.bpf.Rule;
import org.attenuator.bpf.SeccompData;
import org.attenuator.bpf.SyscallTable;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiler pipeline: policy -> per-syscall IR ({@link SyscallDecision}, after the rule
 * passes) -> program graph ({@link GraphBuilder}, {@link DecisionCode}) -> graph passes to a
 * fixpoint -> {@link Assembler}. Registered as the {@link FilterCompiler} service.
 */
@Component(service = FilterCompiler.class)
public final class ClassicBpfCompiler implements FilterCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicBpfCompiler.class);
    private static final List<GraphPass> PASSES = List.of(new RedundantLoadElimination());
    /** Each round only shrinks the graph, so this bound is a guard, never the normal exit. */
    private static final int MAX_PASS_ROUNDS = 32;

    @Override
    public CompiledFilter compile(Policy policy, CompileOptions options) throws CompileException {
        long start = System.nanoTime();
        requireKnownSyscalls(policy);
        NodeFactory nodes = new NodeFactory(options.optimize());
        Map<Arch, NavigableMap<Long, Node>> sections = new LinkedHashMap<>();
        Map<Arch, Integer> withRules = new EnumMap<>(Arch.class);
        Map<Arch, Integer> argumentFree = new EnumMap<>(Arch.class);
        for (Arch arch : policy.arches()) {
            DecisionCode code = new DecisionCode(nodes, arch.comparesLowWordOnly());
            NavigableMap<Long, Node> decisions = new TreeMap<>();
            int free = 0;
            for (Map.Entry<Integer, List<Rule>> e : rulesByNumber(policy, arch).entrySet()) {
                SyscallDecision decision = SyscallDecision.of(e.getValue(), policy.defaultAction(), options.optimize());
                decisions.put(Integer.toUnsignedLong(e.getKey()), code.emit(decision));
                free += decision.dependsOnArguments() ? 0 : 1;
            }
            sections.put(arch, decisions);
            withRules.put(arch, decisions.size());
            argumentFree.put(arch, free);
        }
        Node root = new GraphBuilder(nodes, policy.defaultAction(), options.badArchAction(), options.optimize())
                .build(sections);
        int rounds = 0;
        if (options.optimize()) {
            for (Node before = null; root != before && rounds < MAX_PASS_ROUNDS; rounds++) {
                before = root;
                for (GraphPass pass : PASSES) {
                    root = pass.run(root, nodes);
                }
            }
        }
        // every node is at least one instruction: fail before laying out a hopeless program
        requireFits(Graphs.topologicalOrder(root).size());
        BpfProgram program = Assembler.assemble(root);
        requireFits(program.size());
        BpfInterpreter.verify(program);
        BuildStatistics stats = new BuildStatistics(program.size(), Disassembler.longestPath(program), withRules,
                argumentFree, rounds, System.nanoTime() - start);
        LOG.debug("compiled {} rules for {}: {}", policy.rules().size(), policy.arches(), stats);
        return new CompiledFilter(policy, options, program, stats);
    }

    private static void requireFits(int instructions) throws CompileException {
        if (instructions > BpfProgram.MAX_INSTRUCTIONS) {
            throw new CompileException(Reason.PROGRAM_TOO_LARGE, "syscalls", "the filter needs " + instructions
                    + " or more BPF instructions, more than the kernel's limit of " + BpfProgram.MAX_INSTRUCTIONS);
        }
    }

    private static void requireKnownSyscalls(Policy policy) throws CompileException {
        for (Rule rule : policy.rules()) {
            if (!SyscallTable.isKnownAnywhere(rule.syscall())) {
                throw new CompileException(Reason.UNKNOWN_SYSCALL, rule.origin(),
                        "unknown system call \"" + rule.syscall() + "\" (no architecture has it)");
            }
        }
    }

    /** The rules per system call number of {@code arch}, in policy order; names the arch lacks, and rules for other arches, are skipped. */
    private static Map<Integer, List<Rule>> rulesByNumber(Policy policy, Arch arch) {
        SyscallTable table = SyscallTable.of(arch);
        Map<Integer, List<Rule>> byNumber = new TreeMap<>(Integer::compareUnsigned);
        for (Rule rule : policy.rules()) {
            if (!rule.appliesTo(arch)) {
                continue;
            }
            table.number(rule.syscall()).ifPresent(nr -> byNumber.computeIfAbsent(nr, x -> new ArrayList<>()).add(rule));
        }
        return byNumber;
    }

    @Override
    public Explanation explain(CompiledFilter filter, Arch abi, String syscall, long... args) throws CompileException {
        if (args.length > Condition.MAX_ARGS) {
            throw new CompileException(Reason.INVALID_VALUE, "args", "at most " + Condition.MAX_ARGS + " arguments");
        }
        int nr = number(abi, syscall);
        SeccompData call = SeccompData.of(abi, nr, args);
        BpfInterpreter.Execution run = BpfInterpreter.run(filter.program(), call);
        Policy policy = filter.policy();
        Action expected = policy.actionFor(abi, nr, call.args(), filter.options().badArchAction());
        if (!expected.equals(run.action())) {
            throw new IllegalStateException("compiled program returns " + run.action() + " for " + call
                    + " but the policy says " + expected);
        }
        List<String> executed = new ArrayList<>();
        for (int pc : run.path()) {
            executed.add(Disassembler.line(filter.program(), pc));
        }
        List<Rule> candidates = policy.arches().contains(abi) ? policy.rulesFor(abi, nr) : List.of();
        return new Explanation(call, run.action(), policy.decidingRule(abi, nr, call.args()), candidates, executed);
    }

    private static int number(Arch abi, String syscall) throws CompileException {
        OptionalInt byName = SyscallTable.of(abi).number(syscall);
        if (byName.isPresent()) {
            return byName.getAsInt();
        }
        try {
            return syscall.startsWith("0x") ? Integer.parseUnsignedInt(syscall.substring(2), 16)
                    : Integer.parseUnsignedInt(syscall);
        } catch (NumberFormatException e) {
            throw new CompileException(Reason.UNKNOWN_SYSCALL, "", "\"" + syscall + "\" is neither a "
                    + abi.scmpName() + " system call nor a number");
        }
    }
}
