// Decide, file by file, what a (re-)run does to a repository: from the new
// render, what is on disk, and what the generator wrote last time (the base).
// Pure: the disk is read through a Disk, nothing is written here. Files are
// bytes; a CRLF file is compared and merged on its LF form and keeps CRLF.
import type { Artifact } from '../render/render.js';
import { threeWay, twoWay } from './merge.js';
import type { Disk } from './paths.js';
import type { BaseEntry, Recorded } from './record.js';
import { bytesOf, eolOf, hasConflictMarkers, sha256, textDigest, toLf, withEol } from './text.js';

export type Action =
  | 'created' // new file
  | 'updated' // untouched since the last run, replaced by the new render
  | 'merged' // edited by you and changed by the generator: both changes kept
  | 'conflict' // both changed the same lines: written with conflict markers (or still unresolved)
  | 'unchanged' // nothing to do
  | 'kept' // edited by you, not changed by the generator: left alone
  | 'deleted' // deleted by you: stays deleted (--restore brings it back)
  | 'restored' // deleted by you, written again with --restore
  | 'renamed' // moved by you, content as generated: left where it is
  | 'removed' // no longer generated and untouched: deleted
  | 'orphaned' // no longer generated but edited by you: kept
  | 'overwritten' // edited by you, replaced with --force
  | 'stale'; // a built file not rebuilt: its sources hold conflict markers

/** What to record as a file's base: its digest, and its text when the record has no copy yet. */
export interface NextBase {
  digest: string;
  built: boolean;
  bytes?: Buffer;
}

export interface FilePlan {
  path: string;
  action: Action;
  /** Bytes on disk before the run (undefined: no file). */
  before?: Buffer;
  /** Bytes on disk after the run (undefined: no file). */
  after?: Buffer;
  /** What to record as this file's base (undefined: forget it). */
  base?: NextBase;
  /** Why, in a few words, for actions that need it. */
  note?: string;
  /** A built file not rebuilt: the sources that hold conflict markers. */
  conflicted?: string[];
}

export interface PlanLabels {
  /** The base side of a conflict: `last generated (0.1.0, previous answers)`. */
  base: string;
  /** The new render's side: `new (0.2.0, new answers)`. */
  theirs: string;
}

export interface PlanInput {
  /** The new render: text files as strings, built files as bytes. */
  rendered: ReadonlyMap<string, string | Buffer>;
  disk: Disk;
  record: Recorded;
  /** The recorded base text of `path` with this digest (throws RecordError when its copy was changed). */
  loadBase: (path: string, digest: string) => Buffer;
  artifacts: readonly Artifact[];
  labels: PlanLabels;
  /** Overwrite files you changed with the new render. */
  force?: boolean;
  /** Write files you deleted again. */
  restore?: boolean;
}

const same = (a: Buffer | undefined, b: Buffer | undefined): boolean => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

/** Whether carrying out the plan changes the file on disk. */
export const writes = (plan: FilePlan): boolean => !same(plan.before, plan.after);

/** Folders never searched for a renamed file. */
const NOT_SEARCHED = new Set(['.git', '.terraform', 'node_modules', '.generator']);

/**
 * Two branches that each re-ran the generator, merged in git, leave two bases
 * for a file: both sides' lines in a conflicted manifest, and both sides' base
 * copies in .generator/base whichever side the manifest was resolved to. The
 * base is the copy the file still matches; else the first side that merges
 * without a conflict; else the first.
 */
function planText(input: PlanInput, path: string, rendered: Buffer | undefined, onDisk: Buffer | undefined, entry: BaseEntry | undefined): FilePlan {
  if (entry === undefined || onDisk === undefined) return planTextOn(input, path, rendered, onDisk, entry, entry?.digest);
  const diskDigest = sha256(toLf(onDisk));
  if (diskDigest !== entry.digest && (entry.others.includes(diskDigest) || (entry.stored && input.record.blobs.has(diskDigest)))) {
    return planTextOn(input, path, rendered, onDisk, entry, diskDigest);
  }
  if (entry.others.length === 0) return planTextOn(input, path, rendered, onDisk, entry, entry.digest);
  const plans = [entry.digest, ...entry.others].map((digest) => planTextOn(input, path, rendered, onDisk, entry, digest));
  return plans.find((plan) => plan.action !== 'conflict') ?? plans[0]!;
}

function planTextOn(input: PlanInput, path: string, rendered: Buffer | undefined, onDisk: Buffer | undefined, entry: BaseEntry | undefined, digest: string | undefined): FilePlan {
  const { force, restore, labels } = input;
  const lf = onDisk && toLf(onDisk);
  const diskDigest = lf && sha256(lf);
  const untouched = digest !== undefined && diskDigest === digest;
  const baseBytes = (): Buffer | undefined => (entry === undefined || digest === undefined ? undefined : untouched ? lf : entry.stored ? input.loadBase(path, digest) : undefined);
  const renderedBase: NextBase | undefined = rendered && { digest: sha256(rendered), built: false, bytes: rendered };
  /** Keep the recorded base; when the record has no copy of it (a release before the merge engine), the new render becomes the base. */
  const oldBase = (): NextBase | undefined => {
    if (entry === undefined || digest === undefined) return renderedBase;
    if (entry.stored) return { digest, built: false, bytes: input.record.texts.get(digest) };
    return untouched ? { digest, built: false, bytes: lf } : renderedBase;
  };
  const leave = (action: FilePlan['action'], note?: string, base = oldBase()): FilePlan => ({ path, action, before: onDisk, after: onDisk, base, note });
  const write = (action: FilePlan['action'], after: Buffer, note?: string): FilePlan => ({ path, action, before: onDisk, after, base: renderedBase, note });

  if (rendered === undefined) {
    // The generator no longer writes this file.
    if (onDisk === undefined) return { path, action: 'unchanged' };
    if (untouched) return { path, action: 'removed', before: onDisk, note: 'no longer generated' };
    return { path, action: 'orphaned', before: onDisk, after: onDisk, note: 'no longer generated; you changed it, so it stays' };
  }
  if (onDisk === undefined || lf === undefined) {
    if (entry === undefined) return write('created', rendered);
    return restore ? write('restored', rendered) : leave('deleted', 'you deleted it; --restore writes it again');
  }
  const eol = eolOf(onDisk);
  const ownEol = (bytes: Buffer): Buffer => withEol(bytes, eol);
  if (lf.equals(rendered)) return leave('unchanged', undefined, renderedBase);
  if (entry === undefined) {
    // There before the first generation (or never recorded): never overwritten silently.
    if (force) return write('overwritten', rendered, 'there before the generator wrote here; replaced (--force)');
    if (hasConflictMarkers(lf)) return leave('conflict', 'there before the generator, with conflict markers of its own: resolve them, then run again', renderedBase);
    const merged = twoWay(lf, rendered, { ours: 'yours (there before the generator)', theirs: labels.theirs });
    return write('conflict', ownEol(merged.bytes), input.record.kind === 'none' ? 'there before the first generation: yours and the generated one, side by side where they differ' : 'not recorded as generated: yours and the generated one, side by side where they differ');
  }
  if (untouched) return write('updated', ownEol(rendered));
  const base = baseBytes();
  if (base !== undefined && base.equals(rendered)) {
    return hasConflictMarkers(lf) && !hasConflictMarkers(base) ? leave('conflict', 'still has conflict markers from an earlier run: resolve them') : leave('kept', 'your edit; the generator has nothing new for it');
  }
  if (force) return write('overwritten', ownEol(rendered), 'your edit replaced (--force)');
  if (hasConflictMarkers(lf) && !(base && hasConflictMarkers(base)) && !hasConflictMarkers(rendered)) {
    // Never merged again: a second set of markers inside the first helps nobody.
    return leave('conflict', 'still has conflict markers from an earlier run: resolve them, then run again to take the generator\'s changes');
  }
  if (base === undefined) {
    const merged = twoWay(lf, rendered, { ours: 'yours', theirs: labels.theirs });
    return write('conflict', ownEol(merged.bytes), 'you edited it under a release that kept no copy of what it wrote: yours and the new one, side by side where they differ');
  }
  const merged = threeWay(lf, base, rendered, { ours: 'yours', base: labels.base, theirs: labels.theirs });
  return merged.conflict || hasConflictMarkers(merged.bytes) ? write('conflict', ownEol(merged.bytes), 'you and the generator changed the same lines') : write('merged', ownEol(merged.bytes));
}

/** Files deleted at their path whose recorded content is somewhere else in the target: path → where it is now. */
function findRenames(input: PlanInput, plans: readonly FilePlan[]): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const plan of plans) {
    const entry = input.record.entries.get(plan.path);
    if (plan.action === 'deleted' || (plan.action === 'restored' && entry)) for (const digest of [entry!.digest, ...entry!.others]) wanted.set(digest, plan.path);
  }
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  const known = new Set([...input.rendered.keys(), ...input.record.entries.keys()]);
  for (const path of input.disk.list('', (name) => NOT_SEARCHED.has(name))) {
    if (known.has(path)) continue;
    const bytes = input.disk.read(path);
    const from = bytes && bytes.length < 4 * 1024 * 1024 ? wanted.get(textDigest(bytes)) : undefined;
    if (from !== undefined && !found.has(from)) found.set(from, path);
  }
  return found;
}

/** The plan for a built file (the Lambda package): built from its folder as it ends up after the run. */
function planArtifact(input: PlanInput, artifact: Artifact, textPlans: ReadonlyMap<string, FilePlan>): FilePlan | undefined {
  const { path } = artifact;
  const entry = input.record.entries.get(path);
  const onDisk = input.disk.read(path);
  if (!input.rendered.has(path)) {
    if (onDisk !== undefined && entry && sha256(onDisk) === entry.digest) return { path, action: 'removed', before: onDisk, note: 'no longer generated' };
    return onDisk === undefined ? undefined : { path, action: 'orphaned', before: onDisk, after: onDisk, note: 'no longer generated; it differs from what was built, so it stays' };
  }
  const skipped = (name: string): boolean => name.split('/').some(artifact.skip);
  const finalBytes = new Map<string, Buffer>();
  for (const [source, plan] of textPlans) if (source.startsWith(artifact.from) && plan.after !== undefined && !skipped(source.slice(artifact.from.length))) finalBytes.set(source, plan.after);
  for (const source of input.disk.list(artifact.from.replace(/\/$/, ''), artifact.skip)) {
    if (!textPlans.has(source)) finalBytes.set(source, input.disk.read(source)!);
  }
  const keepOld = (action: FilePlan['action'], note: string, conflicted?: string[]): FilePlan => ({
    path,
    action,
    before: onDisk,
    after: onDisk,
    base: entry ? { digest: entry.digest, built: true } : onDisk && { digest: sha256(onDisk), built: true },
    note,
    conflicted,
  });
  const conflicted = [...finalBytes].filter(([, bytes]) => hasConflictMarkers(bytes)).map(([source]) => source);
  if (conflicted.length > 0) {
    return keepOld('stale', `not rebuilt: ${conflicted.join(', ')} ${conflicted.length === 1 ? 'has' : 'have'} conflict markers; resolve them, then run again (or python3 functions/build.py)`, conflicted);
  }
  if (finalBytes.size === 0) return keepOld('kept', `not rebuilt: ${artifact.from} has no files to build it from`);
  const built = artifact.build([...finalBytes].map(([source, data]) => ({ name: source.slice(artifact.from.length), data })));
  const base: NextBase = { digest: sha256(built), built: true };
  if (onDisk === undefined) return { path, action: 'created', after: built, base };
  if (onDisk.equals(built)) return { path, action: 'unchanged', before: onDisk, after: onDisk, base };
  return { path, action: 'updated', before: onDisk, after: built, base, note: `rebuilt from ${artifact.from}` };
}

/** The plan for every path the new render, the disk or the record knows about, in path order. */
export function planUpdate(input: PlanInput): FilePlan[] {
  const artifactPaths = new Set(input.artifacts.map((artifact) => artifact.path));
  const paths = [...new Set([...input.rendered.keys(), ...input.record.entries.keys()])].filter((path) => !artifactPaths.has(path) && !input.record.entries.get(path)?.built).sort();
  let plans = paths.map((path) => {
    const rendered = input.rendered.get(path);
    return planText(input, path, rendered === undefined ? undefined : bytesOf(rendered), input.disk.read(path), input.record.entries.get(path));
  });

  const renames = findRenames(input, plans);
  plans = plans.map((plan) => {
    const to = renames.get(plan.path);
    if (to === undefined) return plan;
    const entry = input.record.entries.get(plan.path)!;
    const bytes = toLf(input.disk.read(to)!);
    return {
      path: plan.path,
      action: 'renamed',
      base: { digest: sha256(bytes), built: false, bytes: entry.stored ? input.record.texts.get(sha256(bytes)) : bytes },
      note: `you moved it to ${to}, unchanged; the generator keeps its changes for ${plan.path} out of ${to}. To take them, move it back (git mv ${to} ${plan.path}) and run again; --restore would write ${plan.path} beside it, a second copy`,
    };
  });

  const byPath = new Map(plans.map((plan) => [plan.path, plan]));
  for (const artifact of input.artifacts) {
    const plan = planArtifact(input, artifact, byPath);
    if (plan) plans.push(plan);
  }
  // Built files recorded by an earlier run that no artifact builds any more.
  for (const entry of input.record.entries.values()) {
    if (!entry.built || artifactPaths.has(entry.path)) continue;
    const onDisk = input.disk.read(entry.path);
    if (onDisk !== undefined && sha256(onDisk) === entry.digest) plans.push({ path: entry.path, action: 'removed', before: onDisk, note: 'no longer generated' });
  }
  return plans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
