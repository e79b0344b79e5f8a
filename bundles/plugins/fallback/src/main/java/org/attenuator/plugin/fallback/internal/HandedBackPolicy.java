package org.attenuator.plugin.fallback.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.attenuator.api.SupervisedTree;
import org.attenuator.core.spi.PolicySource;
import org.attenuator.core.spi.TreePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(HandedBackPolicy.class);

    private final ProfileStash stash;
    /** Keeper ids of the trees whose profile text is in the stash, deleted when they end. */
    private final Set<String> stashed = ConcurrentHashMap.newKeySet();
    private final Supplier<PolicySource> source;

    HandedBackPolicy(ProfileStash stash, Supplier<PolicySource> source) {
        this.stash = stash;
        this.source = source;
    }

    /**
     * Stores the tree's profile text for a restarted supervisor, before the keeper takes custody;
     * returns its digest, or null (no text, or not stored: then a restarted supervisor cannot rebuild
     * the policy and leaves the tree with the keeper).
     */
    String stash(String treeId, String custodyId, Map<String, Object> properties) {
        try {
            String digest = keep(custodyId, properties);
            if (digest != null) {
                stashed.add(custodyId);
            }
            return digest;
        } catch (IOException | RuntimeException e) {
            LOG.warn("tree {}: its profile text is not stored ({}); after a supervisor restart it stays with the keeper",
                    treeId, e.getMessage());
            return null;
        }
    }

    /** The tree ended: its stored profile text goes. */
    void unstash(String custodyId) {
        if (stashed.remove(custodyId)) {
            try {
                forget(custodyId);
            } catch (IOException | RuntimeException e) {
                LOG.warn("keeper: stored profile text of tree {} not deleted: {}", custodyId, e.getMessage());
            }
        }
    }

    /** Stores the tree's profile text, if it came with one; returns the text's digest for its metadata, or null. */
    private String keep(String custodyId, Map<String, Object> properties) throws IOException {
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
    private void forget(String custodyId) throws IOException {
        stash.remove(custodyId);
    }

    /**
     * The tree's policy. {@code props} are its decoded metadata; its profile text is put back in
     * them, so the adopted tree is stored again, under the same digest, for the next restart.
     * @param routedDenials the tree's profile routed its denials through the supervisor (deny-log): the
     *     routing is not rebuilt, so such a tree stays with the keeper, whose table answers those denials
     * @throws IOException the policy cannot be rebuilt (the message says why)
     */
    TreePolicy rebuild(String custodyId, Map<String, Object> props, Object policyName, Object digest,
            boolean routedDenials) throws IOException {
        if (routedDenials) { // without its routing the profile's denials would reach the handlers: never
            throw new IOException("its profile's denials were routed through the supervisor (deny-log), which a new"
                    + " supervisor does not rebuild");
        }
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
