package org.attenuator.cli.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.attenuator.bpf.Arch;
import org.attenuator.bpf.SyscallTable;
import org.attenuator.profile.BuiltinProfiles;

/**
 * The bash and zsh completion scripts, generated from the subcommands' {@link CommandSpec}s: one
 * generic engine in shell (below), and per subcommand only its option names, the kind of each
 * option's value and the kinds of its positionals. Learned keys are read from the store's directory
 * when TAB is pressed (no JVM starts); syscall names are this machine's, from the generator.
 */
final class CompletionScript {

    /** The shell engine: splits the line itself, so ':' and '=' in a word do not confuse it. */
    private static final String ENGINE = """
            _attenuator_learned() {
              local home=${ATTENUATOR_HOME:-} f
              if [ -z "$home" ]; then
                if [ "$(id -u)" = 0 ]; then home=/var/lib/attenuator; else home=$HOME/.local/state/attenuator; fi
              fi
              for f in "$home"/learned/*.json; do
                [ -e "$f" ] || continue
                f=${f##*/}
                printf '%s\\n' "${f%.json}"
              done
            }

            # _attenuator_values KIND [WORD...]: what a value of that kind can be
            _attenuator_values() {
              local kind=$1 s head=
              shift
              case $kind in
                file) _attenuator_files=f ;;
                directory) _attenuator_files=d ;;
                command) _attenuator_files=c ;;
                profile)
                  _attenuator_files=f
                  for s in $_attenuator_builtins; do _attenuator_cands+=("builtin:$s"); done
                  for s in $(_attenuator_learned); do _attenuator_cands+=("learned:$s"); done ;;
                profile_source)
                  _attenuator_files=f
                  for s in $_attenuator_builtins; do _attenuator_cands+=("builtin:$s"); done ;;
                learned_key) for s in $(_attenuator_learned); do _attenuator_cands+=("$s"); done ;;
                key_or_builtin)
                  for s in $(_attenuator_learned); do _attenuator_cands+=("$s"); done
                  for s in $_attenuator_builtins; do _attenuator_cands+=("builtin:$s"); done ;;
                learned_or_file)
                  _attenuator_files=f
                  for s in $(_attenuator_learned); do _attenuator_cands+=("$s" "learned:$s"); done ;;
                syscall)
                  case $cur in *,*) head=${cur%,*}, ;; esac
                  for s in $_attenuator_syscalls; do _attenuator_cands+=("$head$s"); done ;;
                choices) _attenuator_cands+=("$@") ;;
              esac
            }

            # _attenuator_args START OPTIONS VALUE_OPTIONS KIND_FUNCTION POSITIONAL_KIND...
            _attenuator_args() {
              local i=$1 opts=$2 vopts=$3 kindf=$4 npos=0 pending= ended= word
              shift 4
              while [ "$i" -lt "${#w[@]}" ]; do
                word=${w[$i]}
                if [ -n "$pending" ]; then pending=
                elif [ -z "$ended" ] && [ "$word" = -- ]; then ended=1
                elif [ -z "$ended" ] && [ "$npos" -eq 0 ] && [[ $word == -?* ]]; then
                  case " $vopts " in *" $word "*) pending=$word ;; esac
                else npos=$((npos + 1)); ended=1
                fi
                i=$((i + 1))
              done
              if [ -n "$pending" ]; then _attenuator_values $($kindf "$pending"); return; fi
              if [ -z "$ended" ] && [[ $cur == --*=* ]]; then
                prefix=${cur%%=*}=
                cur=${cur#*=}
                _attenuator_values $($kindf "${prefix%=}")
                return
              fi
              if [ -z "$ended" ] && [[ $cur == -* ]]; then _attenuator_cands=($opts); return; fi
              local -a kinds
              kinds=("$@")
              local n=${#kinds[@]}
              [ "$n" -eq 0 ] && return
              if [ "$npos" -ge "$n" ]; then
                case ${kinds[$((n - 1))]} in command) _attenuator_files=f ;; esac
                return
              fi
              _attenuator_values ${kinds[$npos]}
            }

            # _attenuator_files_like f|d|c: files, directories or commands starting with $cur
            # (zsh's compgen emulation lists the current directory whatever the word: zsh globs instead)
            _attenuator_files_like() {
              if [ -n "${ZSH_VERSION:-}" ]; then
                case $1 in
                  f) eval 'print -rl -- ${cur}*(N)' ;;
                  d) eval 'print -rl -- ${cur}*(N/)' ;;
                  c) eval 'print -rl -- ${(k)commands[(I)${cur}*]}' ;;
                esac
              else
                compgen -"$1" -- "$cur"
              fi
            }

            _attenuator_reply() {
              local c word head=
              COMPREPLY=()
              for c in "${_attenuator_cands[@]}"; do
                case $c in "$cur"*) COMPREPLY+=("$prefix$c") ;; esac
              done
              if [ -n "$_attenuator_files" ]; then
                while IFS= read -r c; do
                  case $c in "$cur"*) COMPREPLY+=("$prefix$c") ;; esac
                done < <(_attenuator_files_like "$_attenuator_files")
                [ -n "${BASH_VERSION:-}" ] && compopt -o filenames 2>/dev/null
              fi
              # bash's own word ends at the last ':' or '=' (COMP_WORDBREAKS): reply from there
              if [ -n "${BASH_VERSION:-}" ]; then
                word=$prefix$cur
                while [ -n "$word" ]; do
                  case $COMP_WORDBREAKS in *"${word: -1}"*) head=$word; break ;; esac
                  word=${word%?}
                done
                [ -n "$head" ] && COMPREPLY=("${COMPREPLY[@]#"$head"}")
              fi
              return 0
            }

            _attenuator() {
              [ -n "${ZSH_VERSION:-}" ] && setopt localoptions ksharrays shwordsplit nullglob
              local line=${COMP_LINE:0:$COMP_POINT} cur= prefix= _attenuator_files=
              local -a w _attenuator_cands
              w=($line)
              case $line in
                *[[:space:]]) ;;
                *) cur=${w[$((${#w[@]} - 1))]}; w=("${w[@]:0:$((${#w[@]} - 1))}") ;;
              esac
              if [ "${#w[@]}" -le 1 ]; then
                _attenuator_cands=($_attenuator_commands help --help --version)
              else
                case ${w[1]} in
            @CASES@
                  help) [ "${#w[@]}" -eq 2 ] && _attenuator_cands=($_attenuator_commands) ;;
                esac
              fi
              _attenuator_reply
            }
            """;

    private CompletionScript() {
    }

    static String bash(List<CommandSpec> specs) {
        return "# bash completion for attenuator, generated by: attenuator completion bash\n" + body(specs)
                + "complete -F _attenuator attenuator\n";
    }

    /** zsh runs the same engine through its bash emulation; installed in $fpath it is autoloaded as _attenuator. */
    static String zsh(List<CommandSpec> specs) {
        return "#compdef attenuator\n# zsh completion for attenuator, generated by: attenuator completion zsh\n"
                + "autoload -U +X bashcompinit && bashcompinit\n" + body(specs)
                + "complete -F _attenuator attenuator\n"
                + "# autoloaded from $fpath on the first TAB: complete that one too\n"
                + "[[ ${funcstack[1]:-} == _attenuator ]] && _bash_complete -F _attenuator\n";
    }

    private static String body(List<CommandSpec> specs) {
        List<CommandSpec> sorted = specs.stream().sorted(Comparator.comparing(CommandSpec::name)).toList();
        StringBuilder s = new StringBuilder();
        s.append("_attenuator_commands='").append(sorted.stream().map(CommandSpec::name)
                .collect(Collectors.joining(" "))).append("'\n");
        s.append("_attenuator_builtins='").append(String.join(" ", BuiltinProfiles.NAMES)).append("'\n");
        SyscallTable table = SyscallTable.of(Arch.host().orElse(Arch.X86_64));
        s.append("_attenuator_syscalls='").append(String.join(" ", table.names().stream().sorted().toList()))
                .append("'\n\n");
        List<String> cases = new ArrayList<>();
        for (CommandSpec spec : sorted) {
            s.append(kindFunction(spec.name(), spec));
            spec.actions().forEach(a -> s.append(kindFunction(spec.name() + "_" + a.name(), a)));
            cases.add("      " + spec.name() + ") " + (spec.actions().isEmpty() ? args("2", spec.name(), spec)
                    : actions(spec)) + " ;;");
        }
        return s.append('\n').append(ENGINE.replace("@CASES@", String.join("\n", cases).strip())).toString();
    }

    /** {@code _attenuator_kind_NAME OPTION}: the kind of the option's value, and its words. */
    private static String kindFunction(String name, CommandSpec spec) {
        StringBuilder s = new StringBuilder("_attenuator_kind_" + fn(name) + "() {\n  case $1 in\n");
        for (Option o : spec.options()) {
            if (o.arity() != Option.Arity.FLAG) {
                s.append("    ").append(o.alias() != null ? o.alias() + "|" : "").append(o.name()).append(") echo ")
                        .append(kind(o.values(), o.choices())).append(" ;;\n");
            }
        }
        return s.append("    *) echo none ;;\n  esac\n}\n").toString();
    }

    private static String args(String start, String name, CommandSpec spec) {
        List<String> kinds = spec.positionals().stream().map(p -> "'" + kind(p.values(), p.choices()) + "'").toList();
        return "_attenuator_args " + start + " '" + String.join(" ", names(spec, false)) + "' '"
                + String.join(" ", names(spec, true)) + "' _attenuator_kind_" + fn(name)
                + (kinds.isEmpty() ? "" : " " + String.join(" ", kinds));
    }

    /** Skips the options before the action word (the Karaf order), then completes the action or its arguments. */
    private static String actions(CommandSpec spec) {
        List<String> values = new ArrayList<>();
        List<String> all = new ArrayList<>(names(CommandSpec.of("", "").build(), false));
        for (CommandSpec a : spec.actions()) {
            values.addAll(names(a, true));
            names(a, false).stream().filter(n -> !all.contains(n)).forEach(all::add);
        }
        StringBuilder s = new StringBuilder("local j=2\n");
        s.append("        while [ \"$j\" -lt \"${#w[@]}\" ] && [[ ${w[$j]} == -* ]]; do\n")
                .append("          case ' ").append(String.join(" ", values)).append(" ' in *\" ${w[$j]} \"*) j=$((j + 1)) ;; esac\n")
                .append("          j=$((j + 1))\n        done\n")
                .append("        if [ \"$j\" -ge \"${#w[@]}\" ]; then\n")
                .append("          case $cur in -*) _attenuator_cands=(").append(String.join(" ", all)).append(") ;; ")
                .append("*) _attenuator_cands=(").append(spec.actions().stream().map(CommandSpec::name)
                        .collect(Collectors.joining(" "))).append(") ;; esac\n")
                .append("        else\n          case ${w[$j]} in\n");
        for (CommandSpec a : spec.actions()) {
            s.append("            ").append(a.name()).append(") ").append(args("$((j + 1))", spec.name() + "_" + a.name(), a))
                    .append(" ;;\n");
        }
        return s.append("          esac\n        fi").toString();
    }

    /** The spec's option names (and aliases), {@code --help} included; only those taking a next word if asked. */
    private static List<String> names(CommandSpec spec, boolean valueTaking) {
        List<String> names = new ArrayList<>();
        for (Option o : HelpText.options(spec)) {
            if (!valueTaking || o.arity() == Option.Arity.VALUE) {
                names.add(o.name());
                if (o.alias() != null) {
                    names.add(o.alias());
                }
            }
        }
        return names;
    }

    private static String kind(Values values, List<String> choices) {
        String kind = values.name().toLowerCase(Locale.ROOT);
        return values == Values.CHOICES ? kind + " " + String.join(" ", choices) : kind;
    }

    private static String fn(String name) {
        return name.replace('-', '_');
    }
}
