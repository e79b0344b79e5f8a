package org.attenuator.plugin.fallback;

/**
 * The fallback plugin's contracts with the faces that configure it and the launches that set a
 * tree's fallback: its configuration PID and keys, and its tree property. The values are
 * compile-time constants, so a face may import this package optionally and still run without the
 * plugin (docs/keeper.md).
 */
public final class Fallback {

    /** The plugin's configuration PID ({@code etc/org.attenuator.plugin.fallback.cfg} in Karaf). */
    public static final String PID = "org.attenuator.plugin.fallback";
    /**
     * Tree property and agent metadata key (String): the tree's own fallback, {@code allow},
     * {@code kill} or {@code errno:NAME}, with {@code NAME=ACTION} items; it wins over the
     * configured default.
     */
    public static final String TREE_PROPERTY = "fallback";
    /** Configuration key (String): the default fallback, in the tree property's syntax. */
    public static final String CONFIG_FALLBACK = "fallback";
    /**
     * Configuration key (Boolean): take back the trees a keeper holds even with no tree of its own
     * (a long-running supervisor: the agent, Karaf).
     */
    public static final String CONFIG_TAKE_BACK = "takeBack";

    private Fallback() {
    }
}
