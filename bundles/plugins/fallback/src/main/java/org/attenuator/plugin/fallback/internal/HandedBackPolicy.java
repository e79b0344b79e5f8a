package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreePolicy;

/**
 * The policy a tree handed back by the keeper had: rebuilt from the profile text in the
 * {@link ProfileStash} (a tree {@code run --agent} sent its profile's text for), else looked up by
 * the profile reference or policy name in its metadata, with the apply point it came with. Never a
 * guess: a policy that cannot be rebuilt is an {@link IOException}, and the tree stays with the
 * keeper rather than run a policy it did not have (the default may allow what its profile denied).
 */
final class HandedBackPolicy {

    /** Agent metadata: the profile's text (base64), the apply-point triggers. */
    static final String TEXT = SupervisedTree.METADATA_PREFIX + "profileText",
            APPLY_POINT = SupervisedTree.METADATA_PREFIX + "applyPoint",
            NAME = SupervisedTree.METADATA_PREFIX + "profile";

    private final ProfileStash stash;
    private final Supplier<PolicySource> source;

    HandedBackPolicy(ProfileStash stash, Supplier<PolicySource> source) {
        this.stash = stash;
        this.source = source;
    }

    /** Stores the tree's profile text, if it came with one; returns the text's digest for its metadata, or null. */
    String keep(String custodyId, Map<String, Object> properties) throws IOException {
        if (!(properties.get(TEXT) instanceof String base64)) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException(TEXT + " is not base64");
        }
        return stash.put(custodyId, text);
    }

    /** Forgets what {@link #keep} stored for the tree. */
    void forget(String custodyId) throws IOException {
        stash.remove(custodyId);
    }

    /**
     * The tree's policy. {@code props} are its decoded metadata; its profile text is put back in
     * them, so the adopted tree is stored again, under the same digest, for the next restart.
     * @throws IOException the policy cannot be rebuilt (the message says why)
     */
    TreePolicy rebuild(String custodyId, Map<String, Object> props, Object policyName, Object digest) throws IOException {
        return launched(custodyId, props, policyName, digest).pastApplyPoint(); // its phase is unknown: never INIT again
    }

    private TreePolicy launched(String custodyId, Map<String, Object> props, Object policyName, Object digest)
            throws IOException {
        List<String> applyPoint = props.get(APPLY_POINT) instanceof String a
                ? Arrays.stream(a.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList() : List.of();
        if (digest instanceof String d) {
            String text = stash.get(custodyId, d);
            PolicySource s = source.get();
            String name = props.get(NAME) instanceof String n && !n.isBlank() ? n : "sent";
            Optional<TreePolicy> p = s == null ? Optional.empty() : parse(() -> s.policyForText(name, text, applyPoint));
            props.put(TEXT, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            return p.orElseThrow(() -> new IOException("no policy source reads the text of profile " + name));
        }
        if (policyName == null || "default".equals(policyName)) {
            return TreePolicy.DEFAULT; // what it had (past any apply point)
        }
        PolicySource s = source.get(); // only now: it may have to be waited for
        for (Object ref : new Object[] {props.get(SupervisedTree.PROFILE), policyName}) {
            if (s != null && ref instanceof String r && !r.equals("default")) {
                Optional<TreePolicy> p = parse(() -> s.policyFor(r, applyPoint));
                if (p.isPresent()) {
                    return p.get();
                }
            }
        }
        throw new IOException("policy " + policyName + " not found" + (s == null ? " (no policy source)" : ""));
    }

    private static Optional<TreePolicy> parse(Supplier<Optional<TreePolicy>> policy) throws IOException {
        try {
            return policy.get();
        } catch (IllegalArgumentException e) {
            throw new IOException("profile " + e.getMessage());
        }
    }
}
