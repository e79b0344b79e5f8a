package org.attenuator.api;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A process tree under one seccomp listener: the process that installed the filter and every
 * descendant. Handlers target trees through their {@link #properties()}.
 */
@ProviderType
public interface SupervisedTree {

    /** Tree property (String): the tree's id, unique in this supervisor, for example {@code "t7"}. */
    String ID = "tree.id";
    /** Tree property (Long): the pid of the process that installed the filter. */
    String PID = "tree.pid";
    /** Tree property (String): how the tree arrived, {@code "launch"} or {@code "oci"}. */
    String SOURCE = "tree.source";
    /** Tree property (String): the executable the tree was started with, when known. */
    String EXECUTABLE = "tree.executable";
    /** Tree property (String): the profile's name or key, when known. */
    String PROFILE = "tree.profile";
    /** Tree property (String): the OCI container id, for trees handed over by runc or crun. */
    String CONTAINER_ID = "oci.id";
    /**
     * Prefix of tree properties copied from the OCI {@code listenerMetadata} key=value lines and from
     * the container's annotations: {@code meta.KEY} and {@code annotation.KEY}.
     */
    String METADATA_PREFIX = "meta.";
    /** Prefix of tree properties copied from the OCI container's annotations. */
    String ANNOTATION_PREFIX = "annotation.";
    /**
     * Tree property (String): {@code "true"} puts the tree in audit ("complain") mode: the
     * supervisor allows what would be denied or killed and tells the observers
     * ({@link SyscallObserver#audited}); docs/denylog.md.
     *
     * @since 1.3
     */
    String AUDIT = "denylog.audit";

    /** The tree's id, as in {@link #ID}. */
    String id();

    /** The pid of the process that installed the filter. */
    long pid();

    /** Every property of the tree, unmodifiable; the keys are the constants above. */
    Map<String, Object> properties();
}
