// Paths the engine reads, writes and deletes: always inside the target, never
// through a symbolic link. Recorded paths come from files anyone can edit
// (.generator/manifest, .yo-rc.json, an older .generator-base.json), so each is
// checked before it is used; the disk is read only through `Disk`, which
// refuses a path when it, or a folder above it, is a link.
import { lstatSync, readFileSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** A record, or the repository around it, that the engine refuses to act on. Nothing has been written. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

/** Folders and files a recorded path may never name: git's, and the engine's own records. */
const RESERVED = /^(\.git|\.generator)(\/|$)|^(\.yo-rc\.json|\.generator-base\.json)$/i;

/**
 * Why `path` cannot be a recorded path, or undefined when it can: relative,
 * '/'-separated, no empty, '.' or '..' segment, no backslash, colon or control
 * character, not inside .git or the engine's records.
 */
export function unsafePath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is not a path';
  if (path.length > 1024) return 'is too long for a path';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'has a control character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute: it would resolve outside the repository';
  if (path.includes('\\') || path.includes(':')) return 'has a backslash or colon, which no generated path has';
  const segments = path.split('/');
  if (segments.includes('..')) return 'has a ".." segment: it would resolve outside the repository';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'has an empty or "." segment';
  if (RESERVED.test(path)) return 'names git\'s or the generator\'s own records';
  return undefined;
}

/** The engine's temporary files (`.<name>.generator-tmp`, beside the file they will replace): never a source, never yours. */
export const isTemporary = (name: string): boolean => /^\..+\.generator-tmp$/.test(name);

/** A read-only view of the target: bytes of regular files; links refused. */
export interface Disk {
  /** The file's bytes, or undefined when there is none. Throws RecordError for a link or a folder. */
  read(path: string): Buffer | undefined;
  /** Every regular file below `dir` (relative paths, '/'-separated), skipping links, the engine's temporary files and what `skip` rejects. */
  list(dir: string, skip?: (name: string) => boolean): string[];
}

function lstat(full: string): Stats | undefined {
  try {
    return lstatSync(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Throws when `path` or a folder above it (inside `target`) is a symbolic link. */
export function checkNoLinks(target: string, path: string): void {
  const segments = path.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const sub = segments.slice(0, i).join('/');
    const stats = lstat(join(target, sub));
    if (stats === undefined) return;
    if (stats.isSymbolicLink()) {
      throw new RecordError(
        `${sub} is a symbolic link${i < segments.length ? ` (above ${path})` : ''}: the generator never reads or writes through a link. Replace it with the file or folder itself, or move it away, then run again. Nothing was written.`,
      );
    }
  }
}

export function diskAt(target: string): Disk {
  return {
    read(path) {
      checkNoLinks(target, path);
      const full = join(target, path);
      const stats = lstat(full);
      if (stats === undefined) return undefined;
      if (!stats.isFile()) throw new RecordError(`${path} is not a regular file (a folder or a device where the generator writes a file): move it away, then run again. Nothing was written.`);
      return readFileSync(full);
    },
    list(dir, skip = () => false) {
      if (dir !== '') checkNoLinks(target, dir);
      const out: string[] = [];
      const walk = (sub: string): void => {
        let entries;
        try {
          entries = readdirSync(join(target, sub), { withFileTypes: true });
        } catch {
          return;
        }
        for (const entry of entries) {
          const path = sub === '' ? entry.name : `${sub}/${entry.name}`;
          if (entry.isDirectory()) {
            if (!skip(entry.name)) walk(path);
          } else if (entry.isFile() && !skip(entry.name) && !isTemporary(entry.name)) out.push(path);
        }
      };
      walk(dir);
      return out.sort();
    },
  };
}
