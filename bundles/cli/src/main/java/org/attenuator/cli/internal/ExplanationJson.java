package org.attenuator.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import org.attenuator.bpf.Action;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.Condition;
import org.attenuator.bpf.Explanation;
import org.attenuator.bpf.Rule;
import org.attenuator.core.Json;

/** The {@code explain --json} document (docs/json.md): the call, its action, the deciding rule and the path. */
final class ExplanationJson {

    private ExplanationJson() {
    }

    static ObjectNode of(String profile, String syscall, Arch abi, Explanation explanation) {
        ObjectNode root = Json.object().put("profile", profile).put("syscall", syscall).put("arch", abi.scmpName())
                .put("nr", explanation.call().nr());
        ArrayNode args = root.putArray("args");
        for (long arg : explanation.call().args()) {
            args.add(unsigned(arg));
        }
        root.set("action", action(explanation.action()));
        root.set("decidedBy", explanation.decidingRule().map(ExplanationJson::rule).orElse(null));
        ArrayNode rules = root.putArray("rules");
        explanation.candidateRules().forEach(r -> rules.add(rule(r)));
        ArrayNode path = root.putArray("path");
        explanation.executed().forEach(path::add);
        return root;
    }

    /** {@code {"name": "SCMP_ACT_ERRNO", "data": 1}}: the OCI name and the errno, trap or trace value (else 0). */
    static ObjectNode action(Action action) {
        return Json.object().put("name", action.kind().scmpName()).put("data", action.data());
    }

    private static ObjectNode rule(Rule rule) {
        ObjectNode node = Json.object().put("origin", rule.origin()).put("syscall", rule.syscall());
        node.set("action", action(rule.action()));
        ArrayNode conditions = node.putArray("conditions");
        for (Condition c : rule.conditions()) {
            conditions.addObject().put("index", c.argIndex()).put("op", c.op().scmpName()).put("value", unsigned(c.value()))
                    .put("valueTwo", unsigned(c.valueTwo()));
        }
        return node;
    }

    /** Arguments and values are unsigned 64-bit numbers. */
    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }
}
