package org.attenuator.plugin.learning;

import java.util.List;

/**
 * What one merge into the store did.
 *
 * @param profile the stored profile after the merge
 * @param added the learned syscalls the store did not have before, sorted
 * @param changed true when the stored profile changed: something was added, or a syscall known as
 *     init-only was now seen after the apply point
 */
public record MergeResult(LearnedProfile profile, List<LearnedSyscall> added, boolean changed) {

    public MergeResult {
        added = List.copyOf(added);
    }
}
