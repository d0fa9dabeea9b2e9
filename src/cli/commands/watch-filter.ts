/**
 * What `flint up`'s watcher treats as a change to the app: files that are part of a package. Not: Flint's own state
 * (.flint/), version control, caches (node_modules/.cache, __pycache__), logs (*.log, and wherever the CLI's own
 * output is redirected, so `flint up . > flint.log` does not redeploy on its own output), editor swap and backup
 * files (vim's *.swp and its 4913 probe, emacs' *~ and .#lock files), and what the app's .gitignore names.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders whose contents never make a package change. */
const IGNORED_DIRS = ['.flint', '.git', '.hg', '.svn', '__pycache__', '.pytest_cache', '.mypy_cache', '.aws-sam', '.serverless'];
/** File names editors, tools and logs leave beside the code. */
const IGNORED_NAMES = [/\.log$/, /\.sw[a-p]$/, /~$/, /^\.#/, /^#.*#$/, /^4913$/, /^\.DS_Store$/, /\.tmp$/, /\.pid$/];

interface Rule {
  pattern: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

export class WatchFilter {
  private rules: Rule[] = [];
  private readonly outputs: Set<string>;

  constructor(private readonly dir: string) {
    this.outputs = new Set(ownOutputs().map((file) => relative(dir, file)).filter((file) => !file.startsWith('..')).map(slashes));
    this.reload();
  }

  /** Reads the app's .gitignore again (call when it changed). */
  reload(): void {
    let text = '';
    try {
      text = readFileSync(join(this.dir, '.gitignore'), 'utf8');
    } catch {
      // No .gitignore: nothing more is ignored.
    }
    this.rules = parseGitignore(text);
  }

  /** True when a change to `file` (relative to the app folder) is not a change to the app. */
  ignores(file: string): boolean {
    const path = slashes(file);
    if (this.outputs.has(path)) return true;
    const parts = path.split('/');
    const name = parts[parts.length - 1] ?? '';
    if (parts.slice(0, -1).some((part) => IGNORED_DIRS.includes(part)) || IGNORED_DIRS.includes(name)) return true;
    if (parts.includes('node_modules') && parts[parts.indexOf('node_modules') + 1] === '.cache') return true;
    if (IGNORED_NAMES.some((pattern) => pattern.test(name))) return true;
    return this.gitIgnored(parts);
  }

  /** As git decides: a path is ignored when it or a folder above it is, the last matching rule winning. */
  private gitIgnored(parts: string[]): boolean {
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = parts.slice(0, depth).join('/');
      const isDir = depth < parts.length || this.isFolder(prefix);
      let ignored = false;
      for (const rule of this.rules) {
        if (rule.dirOnly && !isDir) continue;
        if (rule.pattern.test(prefix)) ignored = !rule.negated;
      }
      if (ignored) return true;
    }
    return false;
  }

  private isFolder(path: string): boolean {
    try {
      return statSync(join(this.dir, path)).isDirectory();
    } catch {
      return false;
    }
  }
}

/** .gitignore lines as rules (https://git-scm.com/docs/gitignore#_pattern_format). */
export function parseGitignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    // A slash at the start or in the middle anchors the pattern to the .gitignore's folder.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const body = globToRegExp(line);
    rules.push({ pattern: new RegExp(anchored ? `^${body}$` : `(^|/)${body}$`), negated, dirOnly });
  }
  return rules;
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" matches any number of folders, a trailing "/**" everything inside.
      const slash = glob[i + 2] === '/';
      out += slash ? '(.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += `\\${glob[++i]!}`;
    else out += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

/** Files this process's stdout and stderr are redirected to (Linux: /proc/self/fd), when they are files. */
function ownOutputs(): string[] {
  const files: string[] = [];
  for (const fd of [1, 2]) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('/')) files.push(target);
    } catch {
      // Not Linux, or no such descriptor: the *.log rule still covers the usual redirection.
    }
  }
  return files;
}

function slashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
