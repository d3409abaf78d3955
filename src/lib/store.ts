// The answers a previous run stored in .yo-rc.json, read without Yeoman so
// that a bad stored value is reported before anything (even a directory) is created.
import { existsSync, readFileSync } from 'node:fs';
import { readAnswers, type Collected } from './answers.js';

/** The key Yeoman files this generator's settings under in .yo-rc.json. */
export const STORE_KEY = 'generator-metaflow-metadata';

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
