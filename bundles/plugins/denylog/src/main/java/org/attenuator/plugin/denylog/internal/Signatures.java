package org.attenuator.plugin.denylog.internal;

import static org.attenuator.plugin.denylog.internal.ArgType.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of the syscalls the deny-log decodes: name and {@link ArgType} per register, in
 * order ({@code lengthArg} names the register holding a sockaddr's length). Syscalls not listed
 * are logged with their raw registers only.
 */
final class Signatures {

    record Arg(String name, ArgType type, int lengthArg) {
        Arg(String name, ArgType type) {
            this(name, type, -1);
        }
    }

    private static final Map<String, List<Arg>> TABLE = new HashMap<>();

    private static void sig(String names, Arg... args) {
        for (String name : names.split(",")) {
            TABLE.put(name, List.of(args));
        }
    }

    private static Arg a(String name, ArgType type) {
        return new Arg(name, type);
    }

    static {
        sig("open", a("path", PATH), a("flags", OPEN_FLAGS), a("mode", MODE));
        sig("openat", a("dirfd", DIRFD), a("path", PATH), a("flags", OPEN_FLAGS), a("mode", MODE));
        sig("openat2", a("dirfd", DIRFD), a("path", PATH), a("how", POINTER), a("size", LONG));
        sig("creat", a("path", PATH), a("mode", MODE));
        sig("execve", a("path", PATH), a("argv", ARGV), a("envp", POINTER));
        sig("execveat", a("dirfd", DIRFD), a("path", PATH), a("argv", ARGV), a("envp", POINTER), a("flags", AT_FLAGS));
        sig("mkdir", a("path", PATH), a("mode", MODE));
        sig("mkdirat", a("dirfd", DIRFD), a("path", PATH), a("mode", MODE));
        sig("mknod", a("path", PATH), a("mode", MODE), a("dev", HEX));
        sig("mknodat", a("dirfd", DIRFD), a("path", PATH), a("mode", MODE), a("dev", HEX));
        sig("unlink,rmdir,chdir,chroot,acct,swapoff,uselib", a("path", PATH));
        sig("unlinkat", a("dirfd", DIRFD), a("path", PATH), a("flags", AT_FLAGS));
        sig("rename,link,symlink,pivot_root", a("from", PATH), a("to", PATH));
        sig("renameat,linkat", a("fromdirfd", DIRFD), a("from", PATH), a("todirfd", DIRFD), a("to", PATH),
                a("flags", HEX));
        sig("renameat2", a("fromdirfd", DIRFD), a("from", PATH), a("todirfd", DIRFD), a("to", PATH), a("flags", HEX));
        sig("symlinkat", a("target", PATH), a("dirfd", DIRFD), a("path", PATH));
        sig("chmod", a("path", PATH), a("mode", MODE));
        sig("fchmod", a("fd", FD), a("mode", MODE));
        sig("fchmodat,fchmodat2", a("dirfd", DIRFD), a("path", PATH), a("mode", MODE), a("flags", AT_FLAGS));
        sig("chown,lchown", a("path", PATH), a("uid", INT), a("gid", INT));
        sig("fchownat", a("dirfd", DIRFD), a("path", PATH), a("uid", INT), a("gid", INT), a("flags", AT_FLAGS));
        sig("access", a("path", PATH), a("mode", INT));
        sig("faccessat,faccessat2", a("dirfd", DIRFD), a("path", PATH), a("mode", INT), a("flags", AT_FLAGS));
        sig("stat,lstat,statfs", a("path", PATH), a("buf", POINTER));
        sig("newfstatat,fstatat64", a("dirfd", DIRFD), a("path", PATH), a("buf", POINTER), a("flags", AT_FLAGS));
        sig("statx", a("dirfd", DIRFD), a("path", PATH), a("flags", AT_FLAGS), a("mask", HEX));
        sig("readlink", a("path", PATH), a("buf", POINTER), a("size", LONG));
        sig("readlinkat", a("dirfd", DIRFD), a("path", PATH), a("buf", POINTER), a("size", LONG));
        sig("truncate", a("path", PATH), a("length", LONG));
        sig("utimensat", a("dirfd", DIRFD), a("path", PATH), a("times", POINTER), a("flags", AT_FLAGS));
        sig("mount", a("source", STRING), a("target", PATH), a("fstype", STRING), a("flags", HEX), a("data", POINTER));
        sig("umount2", a("target", PATH), a("flags", HEX));
        sig("swapon", a("path", PATH), a("flags", HEX));
        sig("connect,bind", a("fd", FD), new Arg("addr", SOCKADDR, 2), a("addrlen", INT));
        sig("sendto", a("fd", FD), a("buf", POINTER), a("len", LONG), a("flags", HEX), new Arg("addr", SOCKADDR, 5),
                a("addrlen", INT));
        sig("socket", a("domain", SOCK_DOMAIN), a("type", SOCK_TYPE), a("protocol", INT));
        sig("socketpair", a("domain", SOCK_DOMAIN), a("type", SOCK_TYPE), a("protocol", INT), a("sv", POINTER));
        sig("listen", a("fd", FD), a("backlog", INT));
        sig("clone", a("flags", CLONE_FLAGS), a("stack", POINTER));
        sig("clone3", a("args", POINTER), a("size", LONG));
        sig("unshare", a("flags", NAMESPACE_FLAGS));
        sig("setns", a("fd", FD), a("nstype", NAMESPACE_FLAGS));
        sig("mmap,mmap2", a("addr", POINTER), a("length", LONG), a("prot", MMAP_PROT), a("flags", MMAP_FLAGS),
                a("fd", FD), a("offset", HEX));
        sig("mprotect,pkey_mprotect", a("addr", POINTER), a("length", LONG), a("prot", MMAP_PROT));
        sig("ioctl", a("fd", FD), a("request", HEX), a("arg", HEX));
        sig("prctl", a("option", PRCTL_OPTION), a("arg2", HEX), a("arg3", HEX));
        sig("fcntl,fcntl64", a("fd", FD), a("cmd", FCNTL_CMD), a("arg", HEX));
        sig("personality", a("persona", HEX));
        sig("kill", a("pid", INT), a("sig", SIGNAL));
        sig("tkill", a("tid", INT), a("sig", SIGNAL));
        sig("tgkill", a("tgid", INT), a("tid", INT), a("sig", SIGNAL));
        sig("ptrace", a("request", LONG), a("pid", INT), a("addr", POINTER), a("data", POINTER));
        sig("setuid,setgid,setfsuid,setfsgid", a("id", INT));
        sig("setreuid,setregid", a("real", INT), a("effective", INT));
        sig("setresuid,setresgid", a("real", INT), a("effective", INT), a("saved", INT));
        sig("memfd_create", a("name", STRING), a("flags", HEX));
        sig("bpf", a("cmd", INT), a("attr", POINTER), a("size", INT));
        sig("seccomp", a("op", INT), a("flags", HEX), a("args", POINTER));
        sig("init_module", a("image", POINTER), a("len", LONG), a("params", STRING));
        sig("finit_module", a("fd", FD), a("params", STRING), a("flags", HEX));
        sig("delete_module", a("name", STRING), a("flags", HEX));
        sig("reboot", a("magic", HEX), a("magic2", HEX), a("cmd", HEX));
        sig("sethostname,setdomainname", a("name", STRING), a("len", LONG));
    }

    private Signatures() {
    }

    /** The arguments of {@code syscall}, or an empty list when it is not in the table. */
    static List<Arg> of(String syscall) {
        return TABLE.getOrDefault(syscall, List.of());
    }
}
