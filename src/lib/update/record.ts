// What the generator last wrote into a repository, kept in the repository so a
// re-run needs neither the old generator version nor the network:
//   .yo-rc.json          the answers and the generator version (Yeoman's place)
//   .generator-base.json every text file exactly as rendered last time (the
//                        merge base), and a digest of each built artifact
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STORE_KEY = 'generator-metaflow-metadata';
export const STORE_FILE = '.yo-rc.json';
export const BASE_FILE = '.generator-base.json';

export interface Base {
  version: string;
  /** Text files: path → content as rendered. */
  files: Record<string, string>;
  /** Binary artifacts: path → sha256 of the bytes written. */
  artifacts: Record<string, string>;
}

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents).digest('hex');
}

/** The base recorded in `target`, undefined on a first run; throws when the file is unreadable. */
export function readBase(target: string): Base | undefined {
  const file = join(target, BASE_FILE);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${BASE_FILE} is not valid JSON (${error instanceof Error ? error.message : String(error)}); restore it from git, or delete it to treat every file as your own`);
  }
  const section = (data as Record<string, unknown> | null)?.[STORE_KEY] as Partial<Base> | undefined;
  const strings = (value: unknown): Record<string, string> =>
    typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) : {};
  if (typeof section !== 'object' || section === null) return undefined;
  return { version: String(section.version ?? ''), files: strings(section.files), artifacts: strings(section.artifacts) };
}

const sorted = (record: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function baseJson(base: Base): string {
  return `${JSON.stringify({ [STORE_KEY]: { version: base.version, files: sorted(base.files), artifacts: sorted(base.artifacts) } }, null, 2)}\n`;
}

export function storeJson(version: string, answers: Record<string, unknown>): string {
  return `${JSON.stringify({ [STORE_KEY]: { version, answers } }, null, 2)}\n`;
}
