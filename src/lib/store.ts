// The answers a previous run stored in .yo-rc.json, read without Yeoman so
// that a bad stored value is reported before anything (even a directory) is created.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAnswers, readAnswersFile, readFlags, type Collected, type FieldError } from './answers.js';
import type { Answers } from './catalogue.js';
import { readManifest, type Manifest } from './manifest.js';

/** The key Yeoman files this generator's settings under in .yo-rc.json. */
export const STORE_KEY = 'generator-metaflow-metadata';

/** The generator's section of a .yo-rc.json, or undefined when there is none or it is unreadable. */
export function readStoredSection(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    const section = data?.[STORE_KEY];
    return typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function readStoredAnswers(file: string): Collected {
  if (!existsSync(file)) return { answers: {}, errors: [] };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { answers: {}, errors: [{ field: '(file)', message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const section = (data as Record<string, unknown> | null)?.[STORE_KEY] as Record<string, unknown> | undefined;
  if (section?.answers === undefined) return { answers: {}, errors: [] };
  return readAnswers(section.answers);
}

export interface Gathered {
  /** Stored answers, overridden by the answers file, overridden by flags. */
  answers: Answers;
  /** Everything wrong in any source, each message saying which source. */
  errors: FieldError[];
  /** What the previous run wrote (empty on a first run). */
  manifest: Manifest;
}

/** Read every source of answers for a run that generates into `target`. */
export function gatherAnswers(target: string, answersFile: string | undefined, flags: Readonly<Record<string, unknown>>): Gathered {
  const errors: FieldError[] = [];
  const take = ({ answers, errors: found }: Collected, source: string): Answers => {
    errors.push(...found.map((e) => ({ field: e.field, message: `${e.message} (in ${source})` })));
    return answers;
  };
  const storePath = join(target, '.yo-rc.json');
  const stored = take(readStoredAnswers(storePath), '.yo-rc.json');
  const fromFile = answersFile === undefined ? {} : take(readAnswersFile(answersFile), answersFile);
  const fromFlags = take(readFlags(flags), 'command-line flags');
  return { answers: { ...stored, ...fromFile, ...fromFlags }, errors, manifest: readManifest(readStoredSection(storePath)) };
}
