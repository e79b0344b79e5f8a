package org.attenuator.plugin.learning.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.Decision;
import org.attenuator.api.HandlerContext;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.TargetGoneException;

/** Small real implementations of the supervisor's types, as the supervisor hands them to plugins. */
final class Fixtures {

    private Fixtures() {
    }

    record Tree(String id, long pid, Map<String, Object> properties) implements SupervisedTree {
    }

    record Event(long id, SupervisedTree tree, long pid, Syscall syscall, long[] args) implements SyscallEvent {
        @Override
        public long arg(int index) {
            return args[index];
        }

        @Override
        public long instructionPointer() {
            return 0;
        }

        @Override
        public ArgumentReader reader() {
            return new ArgumentReader() {
                @Override
                public String readString(long address, int maxBytes) {
                    throw new TargetGoneException("answered");
                }

                @Override
                public ByteBuffer readBytes(long address, int length) {
                    throw new TargetGoneException("answered");
                }
            };
        }
    }

    record Context(Phase phase) implements HandlerContext {
        @Override
        public Decision undecided() {
            return Decision.deny(1);
        }
    }

    static Event event(SupervisedTree tree, String name, int nr, long... args) {
        long[] six = new long[6];
        System.arraycopy(args, 0, six, 0, args.length);
        return new Event(1, tree, tree.pid(), new Syscall(name, nr, "x86_64"), six);
    }
}
