// The generated repository's first commit. Plain git through child_process, no
// Yeoman: a fresh directory becomes a repository with one commit of everything
// written; a directory inside an existing repository is left for the user to
// stage and commit (unless they asked for a commit); no git or no identity is
// said plainly, and the files stay written either way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface GitResult {
  /** What happened, for the user: one or more lines. */
  message: string;
  /** Whether a commit was made. */
  committed: boolean;
}

function git(cwd: string, ...args: string[]): { ok: boolean; out: string; err: string } {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.error) return { ok: false, out: '', err: child.error.message };
  return { ok: child.status === 0, out: child.stdout.trim(), err: child.stderr.trim() };
}

/** --force would replace work git cannot bring back; nothing was written. */
export class UncommittedError extends Error {
  constructor(readonly files: readonly string[]) {
    super(
      [
        `--force would replace uncommitted changes (git cannot bring them back):`,
        ...files.map((file) => `  - ${file}`),
        'Commit or stash them first (git stash), then run again; or run at a terminal to confirm. Nothing was written.',
      ].join('\n'),
    );
    this.name = 'UncommittedError';
  }
}

export function commitMessage(version: string): string {
  return `Generate the Metaflow metadata service module\n\nWritten by generator-metaflow-metadata ${version}; the answers are in .yo-rc.json.`;
}

/**
 * Which of `paths` (relative to target) hold work git could not bring back:
 * changed since the last commit, staged or untracked. Undefined when target is
 * not in a git work tree (or git is missing).
 */
export function uncommitted(target: string, paths: readonly string[]): string[] | undefined {
  if (git(target, 'rev-parse', '--is-inside-work-tree').out !== 'true') return undefined;
  if (paths.length === 0) return [];
  const prefix = git(target, 'rev-parse', '--show-prefix').out;
  const child = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths], { cwd: target, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.status !== 0) return undefined;
  const found = new Set<string>();
  const fields = child.stdout.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field.length < 4) continue;
    const path = field.slice(3);
    if (field[0] === 'R' || field[0] === 'C') i++; // the source path follows
    found.add(path.startsWith(prefix) ? path.slice(prefix.length) : path);
  }
  return paths.filter((path) => found.has(path));
}

/**
 * Make `target` a repository with one commit of `paths` (relative to target),
 * or commit them in the surrounding repository when `commitInExisting`.
 * Paths in `withMarkers` (files left with conflict markers) are never committed.
 */
export function commitGenerated(target: string, paths: readonly string[], version: string, commitInExisting = false, withMarkers: readonly string[] = []): GitResult {
  if (!git(target, '--version').ok) {
    return { committed: false, message: 'git is not installed: the files are written, but no repository was created (use --skip-git to silence this).' };
  }
  const top = git(target, 'rev-parse', '--show-toplevel');
  const existing = top.ok;
  if (existing && !commitInExisting) {
    return {
      committed: false,
      message: `${target} is inside the git repository ${top.out}: nothing was staged or committed. Review the files, then commit them (or re-run with --commit).`,
    };
  }
  if (!existing) {
    const init = git(target, 'init', '--quiet', '--initial-branch=main');
    if (!init.ok) return { committed: false, message: `git init failed: ${init.err}` };
  }
  // Author identity from git config or the GIT_AUTHOR_* / EMAIL environment, as git itself would.
  if (!git(target, 'var', 'GIT_AUTHOR_IDENT').ok || !git(target, 'var', 'GIT_COMMITTER_IDENT').ok) {
    return {
      committed: false,
      message: [
        `${existing ? 'Nothing was committed' : `Initialised a git repository in ${target}, but nothing was committed`}: git has no user name and email.`,
        'Set them (git config --global user.name "Your Name"; git config --global user.email you@example.com), then:',
        `  cd ${target} && git add -A && git commit -m "Generate the Metaflow metadata service module"`,
      ].join('\n'),
    };
  }
  const held = new Set(withMarkers);
  // Written files, and deleted ones git knows (a path git never saw cannot be named to it).
  const known = new Set(git(target, 'ls-files', '-z', '--', ...paths).out.split('\0'));
  const committing = paths.filter((path) => !held.has(path) && (existsSync(join(target, path)) || known.has(path)));
  const add = git(target, 'add', '-A', '--', ...committing);
  if (!add.ok) return { committed: false, message: `git add failed, nothing was committed: ${add.err}` };
  const commit = git(target, 'commit', '--quiet', '-m', commitMessage(version), '--', ...committing);
  if (!commit.ok) return { committed: false, message: `git commit failed, the files are written and staged: ${commit.err || commit.out}` };
  const sha = git(target, 'rev-parse', '--short', 'HEAD').out;
  const lines = [existing ? `Committed the generated files in ${top.out} (${sha}).` : `Initialised a git repository in ${target} with one commit (${sha}).`];
  if (withMarkers.length > 0) {
    lines.push(
      `Not committed, because ${withMarkers.length === 1 ? 'it holds' : 'they hold'} conflict markers: ${withMarkers.join(', ')}. Resolve ${withMarkers.length === 1 ? 'it' : 'them'}, then:`,
      `  cd ${target} && git add -- ${withMarkers.join(' ')} && git commit`,
    );
  }
  return { committed: true, message: lines.join('\n') };
}
