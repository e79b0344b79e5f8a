package org.attenuator.core.internal.supervisor;

import java.nio.ByteBuffer;
import org.attenuator.api.ArgumentReader;
import org.attenuator.api.SupervisedTree;
import org.attenuator.api.Syscall;
import org.attenuator.api.SyscallEvent;
import org.attenuator.api.TargetGoneException;

/**
 * An answered notification as observers see it: a copy, since the event loop reuses its call at once.
 * Its memory can no longer be read: the answer released the target.
 */
record AnsweredCall(long id, SupervisedTree tree, long pid, Syscall syscall, long[] args, long instructionPointer,
        ArgumentReader memory) implements SyscallEvent {

    private static final ArgumentReader GONE = new ArgumentReader() {
        @Override
        public String readString(long address, int maxBytes) {
            throw gone();
        }

        @Override
        public ByteBuffer readBytes(long address, int length) {
            throw gone();
        }
    };

    static AnsweredCall of(PendingCall call) {
        return of(call, null);
    }

    /** With {@code memory} (null: none) as the reader: see {@link AfterAnswerReader}. */
    static AnsweredCall of(PendingCall call, ArgumentReader memory) {
        long[] args = new long[6];
        for (int i = 0; i < 6; i++) {
            args[i] = call.arg(i);
        }
        return new AnsweredCall(call.id(), call.tree(), call.pid(), call.syscall(), args, call.instructionPointer(),
                memory != null ? memory : GONE);
    }

    @Override
    public long arg(int index) {
        return args[index];
    }

    @Override
    public ArgumentReader reader() {
        return memory;
    }

    private static TargetGoneException gone() {
        return new TargetGoneException("the notification was answered; the target has moved on");
    }
}
