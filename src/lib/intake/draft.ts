// Answers typed at the prompt that were not written yet: a run cancelled with
// Ctrl-C, or quit at the summary, keeps them as a draft that the next run into
// the same directory offers to resume. A draft lives outside the target (in the
// user's state directory, $XDG_STATE_HOME or ~/.local/state), so it is never
// mistaken for generated output, committed or merged; one file per target,
// named by a hash of the target's absolute path, readable by the user alone.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Answers } from '../inputs/catalogue.js';
import { readAnswers, type FieldError } from './answers.js';

export interface Draft {
  /** Where the draft is kept. */
  path: string;
  /** When it was saved (ISO 8601). */
  saved: string;
  /** The answers it holds that are still valid for their fields. */
  answers: Answers;
  /** The answers it holds that are not (a newer generator refuses them, say): asked again. */
  errors: FieldError[];
}

/** Where drafts are kept for this environment. */
export function draftDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'generator-metaflow-metadata', 'drafts');
}

/** The draft file of a target directory. */
export function draftPath(target: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(resolve(target)).digest('hex').slice(0, 24);
  return join(draftDirectory(env), `${id}.json`);
}

/** Keep `answers` as the draft of `target` (replacing an older one); returns where. */
export function saveDraft(target: string, answers: Answers, version: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const path = draftPath(target, env);
  mkdirSync(draftDirectory(env), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ target: resolve(target), saved: now.toISOString(), version, answers }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return path;
}

/** The draft of `target`, if there is a readable one; a file that is not a draft of this target is ignored. */
export function readDraft(target: string, env: NodeJS.ProcessEnv = process.env): Draft | undefined {
  const path = draftPath(target, env);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // none, or not one we can read: nothing to offer
  }
  const record = data as { target?: unknown; saved?: unknown; answers?: unknown } | null;
  if (!record || record.target !== resolve(target) || typeof record.saved !== 'string' || typeof record.answers !== 'object' || record.answers === null) return undefined;
  const { answers, errors } = readAnswers(record.answers);
  return { path, saved: record.saved, answers, errors };
}

/** Forget the draft of `target` (written, or declined). */
export function removeDraft(target: string, env: NodeJS.ProcessEnv = process.env): void {
  rmSync(draftPath(target, env), { force: true });
}
