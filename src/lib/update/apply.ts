// Carry out a run's changes so that, whatever stops it (Ctrl-C, a kill, EACCES,
// a full disk), every file is either as it was or as the run meant it, and the
// next run knows which:
//
//   1. each new content into a temporary file beside its file, and the journal
//      (every change, as digests before and after) beside .generator/journal,
//      all synced to disk at once;
//   2. the journal renamed into place;
//   3. the renames (and deletions), in order, records last;
//   4. the journal removed.
//
// Stopped in 1, nothing changed (a temporary file left is replaced by the
// next run). Stopped in 2 or 3, the next run finishes the renames from the
// temporary files (each checked against its digest), or discards them when
// none was done, and says so.
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { errorCode, realIo, unlinkIfThere, type Io } from './io.js';
import { RecordError, checkNoLinks } from './paths.js';
import { RECORD_DIR } from './record.js';
import { sha256 } from './text.js';

export const JOURNAL_FILE = `${RECORD_DIR}/journal`;

/** One file's change: its bytes before and after (undefined: no file). */
export interface Change {
  path: string;
  before?: Buffer;
  after?: Buffer;
}

interface JournalOp {
  path: string;
  before: string | null;
  after: string | null;
}

interface Journal {
  pid: number;
  host: string;
  started: string;
  ops: JournalOp[];
}

/** A run stopped after it had changed some files; the journal stays for the next run. */
export class InterruptedError extends Error {
  constructor(done: number, total: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The run stopped after ${done} of ${total} changes: ${reason}. Every file is either as it was or as this run meant it. ` +
        `Fix the cause and run again: the next run finishes these changes (they are listed in ${JOURNAL_FILE}).`,
    );
    this.name = 'InterruptedError';
  }
}

export const tmpOf = (full: string): string => join(dirname(full), `.${basename(full)}.generator-tmp`);
const digestOf = (bytes: Buffer | undefined): string | null => (bytes === undefined ? null : sha256(bytes));

function readOrUndefined(io: Io, full: string): Buffer | undefined {
  try {
    return io.read(full);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR' || errorCode(error) === 'EISDIR') return undefined;
    throw error;
  }
}

/** Carry out `changes` in `target` (the caller holds the lock). */
export async function applyChanges(target: string, changes: readonly Change[], io: Io = realIo): Promise<void> {
  if (changes.length === 0) return;
  const journal: Journal = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    ops: changes.map((change) => ({ path: change.path, before: digestOf(change.before), after: digestOf(change.after) })),
  };
  const journalFile = join(target, JOURNAL_FILE);
  const staged = [journalFile, ...changes.filter((change) => change.after !== undefined).map((change) => join(target, change.path))];
  const contents = [Buffer.from(`${JSON.stringify(journal, null, 1)}\n`), ...changes.flatMap((change) => (change.after === undefined ? [] : [change.after]))];

  // The journal and every new content beside its file, all synced at once, before anything changes.
  const written: string[] = [];
  try {
    await Promise.all(
      staged.map(async (full, index) => {
        io.mkdir(dirname(full));
        const tmp = tmpOf(full);
        unlinkIfThere(io, tmp);
        written.push(tmp);
        await io.create(tmp, contents[index]!, io.mode(full));
      }),
    );
  } catch (error) {
    for (const tmp of written) {
      try {
        unlinkIfThere(io, tmp);
      } catch {
        // the next run replaces it
      }
    }
    throw new Error(`Nothing was written: ${error instanceof Error ? error.message : String(error)}`);
  }
  // From here on the journal tells the next run what this one meant.
  try {
    io.rename(tmpOf(journalFile), journalFile);
  } catch (error) {
    for (const tmp of written) unlinkIfThere(io, tmp);
    throw new Error(`Nothing was written: ${error instanceof Error ? error.message : String(error)}`);
  }

  let done = 0;
  try {
    for (const change of changes) {
      const full = join(target, change.path);
      if (change.after === undefined) unlinkIfThere(io, full);
      else io.rename(tmpOf(full), full);
      done++;
    }
  } catch (error) {
    throw new InterruptedError(done, changes.length, error);
  }
  unlinkIfThere(io, journalFile);
}

function parseJournal(bytes: Buffer): Journal {
  const bad = (why: string): never => {
    throw new RecordError(`${JOURNAL_FILE}, the list of changes of an earlier run that was interrupted, ${why}; it cannot be trusted: delete it, check the files with git status, then run again. Nothing was written.`);
  };
  let data: Journal;
  try {
    data = JSON.parse(bytes.toString('utf8')) as Journal;
  } catch {
    return bad('is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || !Array.isArray(data.ops)) return bad('is not a journal of this generator');
  for (const op of data.ops) {
    const path = op?.path;
    if (typeof path !== 'string' || path === '' || path.startsWith('/') || /^[A-Za-z]:|\\|[\u0000-\u001f]/.test(path) || path.split('/').some((s) => s === '' || s === '.' || s === '..') || /^\.git(\/|$)/i.test(path)) {
      return bad(`names ${JSON.stringify(path)}, outside the repository or not a path`);
    }
    for (const digest of [op.before, op.after]) if (digest !== null && !/^[0-9a-f]{64}$/.test(String(digest))) bad(`has ${JSON.stringify(digest)} where a sha256 belongs`);
  }
  return data;
}

/** Whether an interrupted run left a journal in `target`. */
export const interrupted = (target: string, io: Io = realIo): boolean => readOrUndefined(io, join(target, JOURNAL_FILE)) !== undefined;

/**
 * Finish (or discard) what an interrupted run left, under the caller's lock.
 * Returns what happened, for the user; undefined when there was nothing.
 */
export function finishInterrupted(target: string, io: Io = realIo): string[] | undefined {
  const bytes = readOrUndefined(io, join(target, JOURNAL_FILE));
  if (bytes === undefined) return undefined;
  const journal = parseJournal(bytes);
  const who = `pid ${journal.pid} on ${journal.host}, started ${journal.started}`;
  const state = journal.ops.map((op) => {
    checkNoLinks(target, op.path);
    const now = digestOf(readOrUndefined(io, join(target, op.path)));
    return now === op.after ? 'done' : now === op.before ? 'todo' : 'changed';
  });
  const tmps = journal.ops.map((op) => tmpOf(join(target, op.path)));
  const lines: string[] = [];
  if (!state.includes('done')) {
    for (const tmp of tmps) unlinkIfThere(io, tmp);
    lines.push(`An earlier run (${who}) was interrupted before it changed any file; nothing to finish.`);
  } else {
    const finished: string[] = [];
    const missing: string[] = [];
    journal.ops.forEach((op, index) => {
      if (state[index] !== 'todo') return;
      const full = join(target, op.path);
      if (op.after === null) {
        unlinkIfThere(io, full);
        finished.push(op.path);
      } else if (digestOf(readOrUndefined(io, tmps[index]!)) === op.after) {
        io.rename(tmps[index]!, full);
        finished.push(op.path);
      } else missing.push(op.path);
    });
    for (const tmp of tmps) unlinkIfThere(io, tmp);
    const changed = journal.ops.filter((_, index) => state[index] === 'changed').map((op) => op.path);
    const done = state.filter((s) => s === 'done').length;
    lines.push(`An earlier run (${who}) was interrupted after ${done} of ${journal.ops.length} changes; finished ${finished.length === 0 ? 'none: nothing was left to do' : `the other ${finished.length}: ${finished.join(', ')}`}.`);
    if (missing.length > 0) lines.push(`Could not finish (their new content is gone): ${missing.join(', ')}; this run plans them again.`);
    if (changed.length > 0) lines.push(`Changed since that run, so left as they are: ${changed.join(', ')}.`);
  }
  unlinkIfThere(io, join(target, JOURNAL_FILE));
  return lines;
}
