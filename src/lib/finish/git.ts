// The generated repository's first commit. Plain git through child_process, no
// Yeoman: a fresh directory becomes a repository with one commit of everything
// written; a directory inside an existing repository is left for the user to
// stage and commit (unless they asked for a commit); no git or no identity is
// said plainly, and the files stay written either way.
import { spawnSync } from 'node:child_process';

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

export function commitMessage(version: string): string {
  return `Generate the Metaflow metadata service module\n\nWritten by generator-metaflow-metadata ${version}; the answers are in .yo-rc.json.`;
}

/**
 * Make `target` a repository with one commit of `paths` (relative to target),
 * or commit them in the surrounding repository when `commitInExisting`.
 */
export function commitGenerated(target: string, paths: readonly string[], version: string, commitInExisting = false): GitResult {
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
  const add = git(target, 'add', '--', ...paths);
  if (!add.ok) return { committed: false, message: `git add failed, nothing was committed: ${add.err}` };
  const commit = git(target, 'commit', '--quiet', '-m', commitMessage(version), '--', ...paths);
  if (!commit.ok) return { committed: false, message: `git commit failed, the files are written and staged: ${commit.err || commit.out}` };
  const sha = git(target, 'rev-parse', '--short', 'HEAD').out;
  return {
    committed: true,
    message: existing ? `Committed the generated files in ${top.out} (${sha}).` : `Initialised a git repository in ${target} with one commit (${sha}).`,
  };
}
