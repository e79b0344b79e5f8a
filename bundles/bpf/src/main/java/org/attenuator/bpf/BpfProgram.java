package org.attenuator.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A classic BPF program: the struct sock_filter array seccomp(2) and seccomp_export_bpf use. */
public record BpfProgram(List<Instruction> instructions) {

    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** sizeof(struct sock_filter). */
    public static final int INSTRUCTION_SIZE = 8;

    public BpfProgram {
        instructions = List.copyOf(instructions);
    }

    public int size() {
        return instructions.size();
    }

    public Instruction get(int pc) {
        return instructions.get(pc);
    }

    /** The raw array in this machine's byte order (little-endian here), as the kernel takes it. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(size() * INSTRUCTION_SIZE).order(ByteOrder.nativeOrder());
        for (Instruction i : instructions) {
            b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return b.array();
    }

    public static BpfProgram fromBytes(byte[] raw) {
        if (raw.length % INSTRUCTION_SIZE != 0) {
            throw new IllegalArgumentException("not a sock_filter array: " + raw.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        List<Instruction> list = new ArrayList<>(raw.length / INSTRUCTION_SIZE);
        while (b.hasRemaining()) {
            int code = b.getShort() & 0xffff;
            int jt = b.get() & 0xff;
            int jf = b.get() & 0xff;
            list.add(new Instruction(code, jt, jf, b.getInt()));
        }
        return new BpfProgram(list);
    }
}
