// One run at a time per repository: .generator/lock, created atomically with
// who holds it (pid, host, time). A lock whose process is gone (same host, pid
// not alive) is stale and taken over; any other held lock stops the run.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errorCode, unlinkIfThere, type Io } from './io.js';
import { RecordError } from './paths.js';
import { RECORD_DIR } from './record.js';

export const LOCK_FILE = `${RECORD_DIR}/lock`;

export interface Holder {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  release(): void;
  /** Set when a stale lock was cleared to take this one. */
  cleared?: Holder;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function holderOf(bytes: Buffer | undefined): Holder | undefined {
  try {
    const data = JSON.parse(String(bytes)) as Partial<Holder>;
    return Number.isInteger(data.pid) && typeof data.host === 'string' && typeof data.started === 'string' ? (data as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock's holder when a live run (or one on another host) holds it; undefined when free or stale. */
export function heldBy(io: Io, target: string): Holder | 'unknown' | undefined {
  let bytes: Buffer;
  try {
    bytes = io.read(join(target, LOCK_FILE));
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
  const holder = holderOf(bytes);
  if (holder === undefined) return 'unknown';
  return holder.host === hostname() && !alive(holder.pid) ? undefined : holder;
}

export function lockedMessage(holder: Holder | 'unknown'): string {
  const who = holder === 'unknown' ? 'another run (its lock file cannot be read)' : `another run (pid ${holder.pid} on ${holder.host}, started ${holder.started})`;
  return `${LOCK_FILE}: ${who} is writing this repository. Wait for it to finish and run again. If no run is going on (it was killed${holder === 'unknown' ? '' : holder.host === hostname() ? '' : ' on that machine'}), delete ${LOCK_FILE} and run again: the next run finishes or reports what it left. Nothing was written.`;
}

/** Take the lock, or throw RecordError naming who holds it and how to clear a stale one. */
export async function takeLock(io: Io, target: string): Promise<Lock> {
  const file = join(target, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const tmp = `${file}.${process.pid}.tmp`;
  io.mkdir(join(target, RECORD_DIR));
  let cleared: Holder | undefined;
  for (let attempt = 0; ; attempt++) {
    // Written whole, then linked into place: the lock never exists half-written.
    unlinkIfThere(io, tmp);
    await io.create(tmp, Buffer.from(`${JSON.stringify(me)}\n`), undefined, false);
    try {
      io.link(tmp, file);
      unlinkIfThere(io, tmp);
      break;
    } catch (error) {
      unlinkIfThere(io, tmp);
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = heldBy(io, target);
    if (holder !== undefined || attempt > 0) throw new RecordError(lockedMessage(holder ?? 'unknown'));
    cleared = holderOf(safeRead(io, file));
    unlinkIfThere(io, file);
  }
  return {
    cleared,
    release: () => {
      const current = holderOf(safeRead(io, file));
      if (current?.pid === me.pid && current.host === me.host) unlinkIfThere(io, file);
    },
  };
}

function safeRead(io: Io, path: string): Buffer | undefined {
  try {
    return io.read(path);
  } catch {
    return undefined;
  }
}
