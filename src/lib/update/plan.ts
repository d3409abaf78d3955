// Decide, file by file, what a (re-)run does to a repository: from the new
// render, what is on disk, and what the generator wrote last time (the base).
// Pure: the disk is read through a function, nothing is written here.
import { hasConflictMarkers, threeWay } from './merge.js';
import { sha256, type Base } from './record.js';

export type Action =
  | 'created' // new file
  | 'updated' // untouched since the last run, replaced by the new render
  | 'merged' // edited by you and changed by the generator: both changes kept
  | 'conflict' // both changed the same lines: written with conflict markers
  | 'unchanged' // nothing to do
  | 'kept' // edited by you, not changed by the generator: left alone
  | 'deleted' // deleted by you: stays deleted (--restore brings it back)
  | 'restored' // deleted by you, written again with --restore
  | 'removed' // no longer generated and untouched: deleted
  | 'orphaned' // no longer generated but edited by you: kept
  | 'overwritten'; // edited by you, replaced with --force

export interface FilePlan {
  path: string;
  action: Action;
  /** Contents on disk before the run (undefined: no file). */
  before?: string | Buffer;
  /** Contents after the run (undefined: no file). */
  after?: string | Buffer;
  /** What to record as this file's base (undefined: forget it). */
  base?: string;
  /** Why, in a few words, for actions that need it. */
  note?: string;
}

export interface PlanOptions {
  /** Overwrite files you changed with the new render. */
  force?: boolean;
  /** Write files you deleted again. */
  restore?: boolean;
  /** The generator version of the new render, for conflict labels. */
  version: string;
}

const WRITES: ReadonlySet<Action> = new Set(['created', 'updated', 'merged', 'conflict', 'restored', 'overwritten']);
export const writes = (plan: FilePlan): boolean => WRITES.has(plan.action) || plan.action === 'removed';

function planText(path: string, rendered: string | undefined, onDisk: string | undefined, base: string | undefined, hadBase: boolean, options: PlanOptions, baseVersion: string): FilePlan {
  const keep = (action: Action, note?: string): FilePlan => ({ path, action, before: onDisk, after: onDisk, base: rendered ?? base, note });
  if (rendered === undefined) {
    // The generator no longer writes this file.
    if (onDisk === undefined) return { path, action: 'unchanged' };
    if (base !== undefined && onDisk === base) return { path, action: 'removed', before: onDisk, note: 'no longer generated' };
    return { path, action: 'orphaned', before: onDisk, after: onDisk, note: 'no longer generated; you changed it, so it stays' };
  }
  const write = (action: Action, after: string, note?: string): FilePlan => ({ path, action, before: onDisk, after, base: rendered, note });
  if (onDisk === undefined) {
    if (base === undefined) return write('created', rendered);
    return options.restore ? write('restored', rendered) : { path, action: 'deleted', base, note: 'you deleted it; --restore writes it again' };
  }
  if (onDisk === rendered) return keep('unchanged');
  if (base === undefined) {
    // There before the first generation (or never recorded): never overwritten silently.
    if (options.force) return write('overwritten', rendered, 'existed before the generator wrote here');
    const merged = threeWay(onDisk, '', rendered, { ours: `${path} (yours)`, base: 'empty', theirs: `${path} (generator ${options.version})` });
    return write('conflict', merged.text, hadBase ? 'not recorded as generated: your file and the generated one, side by side' : 'existed before the first generation: your file and the generated one, side by side');
  }
  if (onDisk === base) return write('updated', rendered);
  if (rendered === base) return hasConflictMarkers(onDisk) ? keep('conflict', 'still has conflict markers from an earlier run') : keep('kept', 'your edit; the generator has nothing new for it');
  if (options.force) return write('overwritten', rendered, 'your edit replaced (--force)');
  const merged = threeWay(onDisk, base, rendered, { ours: `${path} (yours)`, base: `${path} (generator ${baseVersion || 'previous'})`, theirs: `${path} (generator ${options.version})` });
  return merged.conflict || hasConflictMarkers(merged.text) ? write('conflict', merged.text, 'you and the generator changed the same lines') : write('merged', merged.text);
}

/**
 * The plan for every path the new render, the disk or the base knows about.
 * `build` turns the final text files into the binary artifacts (the Lambda
 * package), so an artifact always matches the sources as they end up on disk.
 */
export function planUpdate(
  rendered: ReadonlyMap<string, string | Buffer>,
  read: (path: string) => Buffer | undefined,
  base: Base | undefined,
  build: (texts: ReadonlyMap<string, string>) => ReadonlyMap<string, Buffer>,
  options: PlanOptions,
): FilePlan[] {
  const texts = new Map([...rendered].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const artifacts = new Set([...rendered].filter(([, contents]) => typeof contents !== 'string').map(([path]) => path));
  const paths = [...new Set([...texts.keys(), ...Object.keys(base?.files ?? {})])].filter((path) => !artifacts.has(path)).sort();
  const plans = paths.map((path) => {
    const raw = read(path);
    return planText(path, texts.get(path), raw?.toString('utf8'), base?.files[path], base !== undefined, options, base?.version ?? '');
  });

  // Artifacts follow the sources as written (yours, merged or generated).
  const finalTexts = new Map<string, string>();
  for (const plan of plans) if (typeof plan.after === 'string') finalTexts.set(plan.path, plan.after);
  const built = build(finalTexts);
  for (const path of [...new Set([...artifacts, ...Object.keys(base?.artifacts ?? {})])].sort()) {
    const bytes = built.get(path);
    const onDisk = read(path);
    if (bytes === undefined) {
      if (onDisk !== undefined && sha256(onDisk) === base?.artifacts[path]) plans.push({ path, action: 'removed', before: onDisk, note: 'no longer generated' });
      continue;
    }
    const action: Action = onDisk === undefined ? 'created' : onDisk.equals(bytes) ? 'unchanged' : 'updated';
    plans.push({ path, action, before: onDisk, after: bytes, note: action === 'updated' ? 'rebuilt from its sources' : undefined });
  }
  return plans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The base to record after `plans` are carried out. */
export function nextBase(plans: readonly FilePlan[], version: string): Base {
  const files: Record<string, string> = {};
  const artifacts: Record<string, string> = {};
  for (const plan of plans) {
    if (Buffer.isBuffer(plan.after)) artifacts[plan.path] = sha256(plan.after);
    else if (plan.base !== undefined) files[plan.path] = plan.base;
  }
  return { version, files, artifacts };
}
