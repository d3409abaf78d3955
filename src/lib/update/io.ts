// The few file-system calls the engine writes with, behind one interface so a
// test can make any one of them fail (EACCES, ENOSPC) and check what is left.
import { closeSync, fchmodSync, fsync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';

export interface Io {
  mkdir(path: string): void;
  /** Create a new file (never through a link: fails when the name exists), write it, close it; resolves once its bytes are on disk (unless `sync` is false). */
  create(path: string, data: Buffer, mode?: number, sync?: boolean): Promise<void>;
  rename(from: string, to: string): void;
  link(from: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  read(path: string): Buffer;
  /** Permission bits of an existing file, undefined when there is none. */
  mode(path: string): number | undefined;
  list(dir: string): string[];
}

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

export const realIo: Io = {
  mkdir: (path) => void mkdirSync(path, { recursive: true }),
  async create(path, data, mode, sync = true) {
    const fd = openSync(path, 'wx', 0o666);
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
      if (sync) await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
    } finally {
      closeSync(fd);
    }
  },
  rename: (from, to) => renameSync(from, to),
  link: (from, to) => linkSync(from, to),
  unlink: (path) => unlinkSync(path),
  rmdir: (path) => rmdirSync(path),
  read: (path) => readFileSync(path),
  mode(path) {
    try {
      const stats = lstatSync(path);
      return stats.isFile() ? stats.mode & 0o7777 : undefined;
    } catch (error) {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch (error) {
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return [];
      throw error;
    }
  },
};

/** Unlink, ignoring a file that is already gone. */
export function unlinkIfThere(io: Io, path: string): void {
  try {
    io.unlink(path);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}

export const errorCode = code;
