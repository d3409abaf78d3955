// What the generator wrote last time, so a re-run can tell a file the user
// changed (protect it) from one they never touched (safe to upgrade).
import { createHash } from 'node:crypto';

export type Manifest = Record<string, string>;

/** create: new file; identical: nothing to do; update: untouched since we wrote it; modified: changed by someone else. */
export type FileStatus = 'create' | 'identical' | 'update' | 'modified';

export function digest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

export function classify(generated: string, onDisk: string | undefined, recorded: string | undefined): FileStatus {
  if (onDisk === undefined) return 'create';
  if (onDisk === generated) return 'identical';
  if (recorded !== undefined && digest(onDisk) === recorded) return 'update';
  return 'modified';
}

export function manifestOf(files: ReadonlyMap<string, string>): Manifest {
  return Object.fromEntries([...files].map(([path, text]) => [path, digest(text)]));
}

/** Read the manifest stored in .yo-rc.json; anything malformed counts as no record. */
export function readManifest(section: unknown): Manifest {
  const files = (section as { files?: unknown } | undefined)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return {};
  return Object.fromEntries(Object.entries(files).filter(([, value]) => typeof value === 'string' && value.startsWith('sha256:'))) as Manifest;
}
