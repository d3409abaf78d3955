// The answers a previous run stored in .yo-rc.json, read without Yeoman so
// that a bad stored value is reported before anything (even a directory) is created.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adoptedAnswers, readAnswers, readAnswersFile, readFlags, settleLegacy, type Collected, type FieldError } from './answers.js';
import { adopting } from '../adopt/terraform-aws-metaflow.js';
import type { Answers } from '../inputs/catalogue.js';

import { STORE_KEY } from '../update/record.js';

export { STORE_KEY };

/** The generator's section of a .yo-rc.json (undefined when there is none), or why it cannot be read. */
function readStore(file: string): { section?: Record<string, unknown>; error?: string } {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { error: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const section = (data as Record<string, unknown> | null)?.[STORE_KEY];
  return typeof section === 'object' && section !== null ? { section: section as Record<string, unknown> } : {};
}

export function readStoredAnswers(file: string): Collected {
  const { section, error } = readStore(file);
  if (error) return { answers: {}, errors: [{ field: '(file)', message: error }] };
  // The generator never stores another module's inputs: an adopted deployment's are errors here too.
  return section?.answers === undefined ? { answers: {}, errors: [] } : settleLegacy(readAnswers(section.answers), false);
}

export interface Gathered {
  /** Stored answers, overridden by a resumed draft, by the answers file, by flags. */
  answers: Answers;
  /** Everything wrong in any source, each message saying which source. */
  errors: FieldError[];
}

/** Read every source of answers for a run that generates into `target`. */
export function gatherAnswers(target: string, answersFile: string | undefined, flags: Readonly<Record<string, unknown>>, draft: Answers = {}): Gathered {
  const errors: FieldError[] = [];
  const take = ({ answers, errors: found }: Collected, source: string): Answers => {
    errors.push(...found.map((e) => ({ field: e.field, message: `${e.message} (in ${source})` })));
    return answers;
  };
  const storePath = join(target, '.yo-rc.json');
  const stored = take(readStoredAnswers(storePath), '.yo-rc.json');
  const file = answersFile === undefined ? undefined : readAnswersFile(answersFile);
  const fromFlags = take(readFlags(flags), 'command-line flags');
  // The old module's inputs an answers file may hold are read once every source has said whether the run adopts.
  const isAdopting = adopting({ ...stored, ...draft, ...file?.answers, ...fromFlags });
  const fromFile = file === undefined ? {} : take(settleLegacy(file, isAdopting), answersFile as string);
  return { answers: adoptedAnswers({ ...stored, ...draft, ...fromFile, ...fromFlags }), errors };
}
