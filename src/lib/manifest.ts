// What the generator wrote last time, so a re-run can tell a file the user
// changed (protect it) from one they never touched (safe to upgrade).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Manifest = Record<string, string>;

/** create: new file; identical: nothing to do; update: untouched since we wrote it; modified: changed by someone else. */
export type FileStatus = 'create' | 'identical' | 'update' | 'modified';

/** A file's contents: text (UTF-8) or bytes. */
export type Contents = string | Uint8Array;

const bytes = (contents: Contents): Buffer => (typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents));

export function digest(contents: Contents): string {
  return `sha256:${createHash('sha256').update(bytes(contents)).digest('hex')}`;
}

export function classify(generated: Contents, onDisk: Contents | undefined, recorded: string | undefined): FileStatus {
  if (onDisk === undefined) return 'create';
  if (bytes(onDisk).equals(bytes(generated))) return 'identical';
  if (recorded !== undefined && digest(onDisk) === recorded) return 'update';
  return 'modified';
}

export function manifestOf(files: ReadonlyMap<string, Contents>): Manifest {
  return Object.fromEntries([...files].map(([path, text]) => [path, digest(text)]));
}

/** Read the manifest stored in .yo-rc.json; anything malformed counts as no record. */
export function readManifest(section: unknown): Manifest {
  const files = (section as { files?: unknown } | undefined)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return {};
  return Object.fromEntries(Object.entries(files).filter(([, value]) => typeof value === 'string' && value.startsWith('sha256:'))) as Manifest;
}

/** How each rendered file relates to what is on disk in `target`. */
export function planWrites(files: ReadonlyMap<string, Contents>, target: string, manifest: Manifest): { path: string; status: FileStatus }[] {
  return [...files].map(([path, text]) => {
    const full = join(target, path);
    const onDisk = existsSync(full) ? readFileSync(full) : undefined;
    return { path, status: classify(text, onDisk, manifest[path]) };
  });
}

/** Files the user changed since the generator wrote them, which an unattended run will not overwrite. */
export class ConflictError extends Error {
  constructor(readonly files: readonly string[]) {
    const one = files.length === 1;
    super(
      [
        `${one ? '1 file was' : `${files.length} files were`} changed since the generator last wrote ${one ? 'it' : 'them'}; nothing was written:`,
        ...files.map((file) => `  - ${file}`),
        'Run at a terminal to review each difference, or pass --force to overwrite them.',
      ].join('\n'),
    );
    this.name = 'ConflictError';
  }
}
