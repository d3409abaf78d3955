// The answers a previous run stored in .yo-rc.json, read without Yeoman so
// that a bad stored value is reported before anything (even a directory) is created.
import { existsSync, readFileSync } from 'node:fs';
import { readAnswers, type Collected } from './answers.js';

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
