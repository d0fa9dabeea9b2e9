/**
 * A process cannot be put into a cgroup by its parent before it runs (Node's spawn has no hook between fork and
 * exec, and moving it afterwards races with whatever it forks first). So the instance starts as a tiny shell that
 * writes its own pid into the cgroup's `cgroup.procs` files and then execs the sandbox (bwrap, or the runtime):
 * everything the instance ever runs is forked from inside the cgroup. If a write fails, nothing runs (exit 125).
 */
const JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

export function joinCommand(procsFiles: readonly string[], file: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', JOIN_SCRIPT, 'flint-cgroup', ...procsFiles, '--', file, ...args] };
}
