package org.attenuator.plugin.learning.internal;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.attenuator.api.HandlerContext.Phase;
import org.attenuator.plugin.learning.LearnedSyscall;

/** A second process writing to a store: {@code HOME KEY PREFIX COUNT} merges COUNT syscalls PREFIX0.. one by one. */
public final class StoreWriterMain {

    public static void main(String[] args) throws Exception {
        FileProfileStore store = new FileProfileStore(Path.of(args[0]));
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
            store.merge(args[1], Map.of(new LearnedSyscall("x86_64", args[2] + i), EnumSet.of(Phase.RUN)));
        }
    }
}
