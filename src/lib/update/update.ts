// The update engine's whole API: prepare the target (finish an interrupted
// run, check the records), plan a run (reading only), then carry it out (lock,
// check nothing moved meanwhile, journal, write). No Yeoman here.
//
//   const notes = await prepareTarget(target, { version });   // before the answers are read
//   const run = planRun({ target, rendered, answers, version });
//   if (hasChanges(run)) await carryOut(run);
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARTIFACTS, type Artifact } from '../render/render.js';
import { applyChanges, finishInterrupted, interrupted, JOURNAL_FILE, type Change } from './apply.js';
import { realIo, unlinkIfThere, type Io } from './io.js';
import { heldBy, lockedMessage, takeLock } from './lock.js';
import { RecordError, checkNoLinks, diskAt, isTemporary, type Disk } from './paths.js';
import { planUpdate, writes, type FilePlan } from './plan.js';
import {
  BLOB_DIR,
  MANIFEST_FILE,
  OLD_BASE_FILE,
  RECORD_DIR,
  RECORD_IGNORE,
  RECORD_IGNORE_FILE,
  STORE_FILE,
  STORE_KEY,
  blobBytes,
  blobText,
  checkVersion,
  manifestText,
  readRecord,
  type Recorded,
} from './record.js';
import { sha256, toLf } from './text.js';
import { sameJson, setSection } from './yorc.js';

export interface RunRequest {
  target: string;
  /** The new render: text files as strings, built files as bytes. */
  rendered: ReadonlyMap<string, string | Buffer>;
  /** The answers it was rendered from (recorded in .yo-rc.json). */
  answers: Record<string, unknown>;
  /** The generator version that rendered it. */
  version: string;
  force?: boolean;
  restore?: boolean;
  /** What builds the built files (default: the generator's). */
  artifacts?: readonly Artifact[];
}

export interface Run {
  target: string;
  /** Every generated file, in path order. */
  plans: FilePlan[];
  /** The records (.yo-rc.json, .generator/manifest, ...) and base copies, as file plans. */
  records: FilePlan[];
  /** About the record itself (an older format, a merge conflict in it). */
  notes: string[];
  /** What the plan read: path → digest of its bytes (null: no file), checked again under the lock. */
  read: ReadonlyMap<string, string | null>;
  /** Temporary files an interrupted run left beside generated files, removed by this run. */
  leftovers: string[];
  recorded: Recorded;
}

/** A disk that remembers what it read, to check under the lock that nothing moved. */
function watched(disk: Disk, seen: Map<string, string | null>): Disk {
  return {
    read(path) {
      const bytes = disk.read(path);
      seen.set(path, bytes === undefined ? null : sha256(bytes));
      return bytes;
    },
    list: (dir, skip) => disk.list(dir, skip),
  };
}

/** The target as a real path (a link to a folder is the user's choice; links inside it are refused). */
function realTarget(target: string): string {
  try {
    return realpathSync(target);
  } catch {
    return resolve(target);
  }
}

/** Labels for the two generated sides of a conflict. */
function labels(recorded: Recorded, version: string, answers: Record<string, unknown>): { base: string; theirs: string } {
  const changed = recorded.answers !== undefined && !sameJson(recorded.answers, answers);
  const was = recorded.version === '' ? 'an unrecorded version' : recorded.kind === 'base-json' || recorded.kind === 'pre-merge' ? `${recorded.version}, an earlier record format` : recorded.version;
  return { base: `last generated (${was}${changed ? ', previous answers' : ''})`, theirs: `new (${version}${changed ? ', new answers' : ''})` };
}

/** Check the records and plan every file and record. Reads only; throws RecordError (nothing written). */
export function planRun(request: RunRequest): Run {
  const target = realTarget(request.target);
  const seen = new Map<string, string | null>();
  const disk = watched(diskAt(target), seen);
  if (interrupted(target)) {
    throw new RecordError(`An earlier run was interrupted (${JOURNAL_FILE} lists its changes): a run that writes finishes it first; this one cannot show what would happen on top of it. Run without --dry-run. Nothing was written.`);
  }
  const recorded = readRecord(disk);
  checkVersion(recorded, request.version, Boolean(request.force));
  const loadBase = (path: string, digest: string): Buffer => {
    const held = recorded.texts.get(digest);
    if (held) return held;
    const stored = disk.read(`${BLOB_DIR}/${digest}`);
    if (stored === undefined) throw new RecordError(`${BLOB_DIR}/${digest} (the base copy of ${path}) is missing: restore .generator/ from git. Nothing was written.`);
    return blobBytes(digest, stored, path);
  };
  const plans = planUpdate({
    rendered: request.rendered,
    disk,
    record: recorded,
    loadBase,
    artifacts: request.artifacts ?? ARTIFACTS,
    labels: labels(recorded, request.version, request.answers),
    force: request.force,
    restore: request.restore,
  });
  const records = planRecords(disk, recorded, plans, request);
  return { target, plans, records, notes: recorded.notes, read: seen, recorded, leftovers: leftoversIn(target, [...plans, ...records]) };
}

/** Temporary files beside the files of a run, left by one that was stopped before it had a journal. */
function leftoversIn(target: string, plans: readonly FilePlan[]): string[] {
  const dirs = new Set(['', RECORD_DIR, ...plans.map((plan) => plan.path.split('/').slice(0, -1).join('/'))]);
  return [...dirs].flatMap((dir) => realIo.list(join(target, dir)).filter(isTemporary).map((name) => (dir === '' ? name : `${dir}/${name}`))).sort();
}

function planRecords(disk: Disk, recorded: Recorded, plans: readonly FilePlan[], request: RunRequest): FilePlan[] {
  const records: FilePlan[] = [];
  const record = (path: string, after: Buffer | undefined, note?: string): void => {
    const before = disk.read(path);
    const same = before === undefined ? after === undefined : after !== undefined && (before.equals(after) || toLf(before).equals(after));
    if (!same) records.push({ path, action: before === undefined ? 'created' : after === undefined ? 'removed' : 'updated', before, after, note });
  };

  // Base copies: one per distinct text, named by its digest; unused ones go.
  const entries = plans.flatMap((plan) => (plan.base ? [{ path: plan.path, ...plan.base }] : []));
  const wanted = new Map<string, Buffer | undefined>();
  for (const entry of entries) if (!entry.built && !wanted.has(entry.digest)) wanted.set(entry.digest, entry.bytes);
  for (const [digest, bytes] of wanted) {
    if (recorded.blobs.has(digest)) continue;
    const text = bytes ?? recorded.texts.get(digest);
    if (text === undefined) throw new Error(`internal: no text for the base copy ${digest}`);
    records.push({ path: `${BLOB_DIR}/${digest}`, action: 'created', after: Buffer.from(blobText(text)) });
  }

  const manifest = Buffer.from(manifestText(entries));
  if (recorded.manifest === undefined || recorded.manifest.replace(/\r\n/g, '\n') !== manifest.toString()) record(MANIFEST_FILE, manifest, `${entries.length} files`);
  record(RECORD_IGNORE_FILE, Buffer.from(RECORD_IGNORE));
  if (recorded.kind === 'base-json') record(OLD_BASE_FILE, undefined, `replaced by ${MANIFEST_FILE} and ${BLOB_DIR}/`);

  const { files: _files, ...kept } = recorded.section ?? {};
  const section = { ...kept, version: request.version, answers: request.answers };
  if (recorded.section === undefined || !sameJson(recorded.section, section)) {
    record(STORE_FILE, setSection(recorded.store, STORE_KEY, section), recorded.section === undefined ? undefined : describeSectionChange(recorded, section));
  }
  for (const digest of recorded.blobs) if (!wanted.has(digest)) records.push({ path: `${BLOB_DIR}/${digest}`, action: 'removed', before: disk.read(`${BLOB_DIR}/${digest}`) });
  return records.sort((a, b) => rank(a) - rank(b));
}

function describeSectionChange(recorded: Recorded, section: { version: string; answers: Record<string, unknown> }): string {
  const changed = Object.keys({ ...recorded.answers, ...section.answers }).filter((name) => !sameJson(recorded.answers?.[name], section.answers[name]));
  const parts = [];
  if (recorded.version !== section.version) parts.push(`version ${recorded.version || '(none)'} → ${section.version}`);
  if (changed.length > 0) parts.push(`answers: ${changed.join(', ')}`);
  if (recorded.section?.files !== undefined) parts.push('the per-file digests move to .generator/');
  return parts.join('; ') || 'reformatted';
}

/** Whether carrying out the run would change any byte on disk. */
export const hasChanges = (run: Run): boolean => run.plans.some(writes) || run.records.length > 0 || run.leftovers.length > 0;

/** Written in this order: new base copies, files, the record files, .yo-rc.json, then unused base copies go. */
const rank = (plan: FilePlan): number => (plan.path.startsWith(`${BLOB_DIR}/`) ? (plan.after ? 0 : 4) : plan.path === STORE_FILE ? 3 : plan.path.startsWith('.generator/') || plan.path === OLD_BASE_FILE ? 2 : 1);

/** The changes of a run, files first, records last. */
function changesOf(run: Run): Change[] {
  return [...run.plans, ...run.records].filter(writes).sort((a, b) => rank(a) - rank(b)).map(({ path, before, after }) => ({ path, before, after }));
}
/**
 * Carry out a planned run: take the lock, check that nothing the plan read has
 * changed since, write. Throws RecordError (nothing written) when locked or moved.
 */
export async function carryOut(run: Run, io: Io = realIo): Promise<void> {
  checkNoLinks(run.target, JOURNAL_FILE);
  const lock = await takeLock(io, run.target);
  try {
    const disk = diskAt(run.target);
    for (const [path, digest] of run.read) {
      const bytes = disk.read(path);
      if ((bytes === undefined ? null : sha256(bytes)) !== digest) {
        throw new RecordError(`${path} changed while this run was planning (another run, or an editor): nothing was written; run again.`);
      }
    }
    for (const path of run.leftovers) {
      checkNoLinks(run.target, path);
      unlinkIfThere(io, join(run.target, path));
    }
    await applyChanges(run.target, changesOf(run), io);
  } finally {
    lock.release();
  }
}

/**
 * Before a run reads the repository: finish what an interrupted run left
 * (under the lock), or say that another run holds it. Returns lines for the
 * user. With `dryRun`, writes nothing: an unfinished run is only reported.
 */
export async function prepareTarget(target: string, options: { dryRun?: boolean; version?: string; force?: boolean } = {}, io: Io = realIo): Promise<string[]> {
  const dir = realTarget(target);
  checkNoLinks(dir, JOURNAL_FILE);
  const holder = heldBy(io, dir);
  if (holder !== undefined) throw new RecordError(lockedMessage(holder));
  const lines: string[] = [];
  if (!options.dryRun && interrupted(dir, io)) {
    const lock = await takeLock(io, dir);
    try {
      lines.push(...(finishInterrupted(dir, io) ?? []));
      if (lock.cleared) lines.unshift(`Cleared the lock of a run that is gone (pid ${lock.cleared.pid}, started ${lock.cleared.started}).`);
    } finally {
      lock.release();
    }
  }
  // The records, checked before anything is asked.
  const recorded = readRecord(diskAt(dir));
  if (options.version !== undefined) checkVersion(recorded, options.version, Boolean(options.force));
  return lines;
}

/** Paths a commit of this run should name: every file it wrote or deleted, and the records. */
export function writtenPaths(run: Run): string[] {
  return [...run.plans, ...run.records].filter(writes).map((plan) => plan.path);
}
