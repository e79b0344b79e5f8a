/**
 * Classic BPF for seccomp: the {@link org.attenuator.bpf.Policy} a profile resolves to, the
 * {@link org.attenuator.bpf.FilterCompiler} that turns it into one program covering every
 * architecture of the policy, and the tools to read such programs back: an
 * {@link org.attenuator.bpf.BpfInterpreter} with the kernel's semantics, a
 * {@link org.attenuator.bpf.Disassembler} and the per-architecture {@link org.attenuator.bpf.SyscallTable}s.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.attenuator.bpf;
