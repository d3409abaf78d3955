// Inquirer questions built from the catalogue. Plain objects only: the
// generator hands them to Yeoman's prompt adapter, tests can inspect them.
import { GROUPS, INPUTS, isNullable, type Answers, type GroupId, type Input, type Value } from '../inputs/catalogue.js';
import { fallback, fieldProblem, fromText, isAsked, toText } from './answers.js';

export interface Question {
  type: 'input' | 'confirm' | 'select';
  name: string;
  message: string;
  default?: string | boolean | ((answers: Record<string, unknown>) => string | boolean | undefined);
  /** A pick-list's choices: fixed, or following the answers so far (AWS discovery, src/lib/aws). */
  choices?: { name: string; value: string }[] | ((answers: Record<string, unknown>) => { name: string; value: string }[]);
  when: (answers: Record<string, unknown>) => boolean;
  validate?: (raw: unknown, answers?: Record<string, unknown>) => true | string;
  filter?: (raw: unknown) => unknown;
}

/** The typed answer behind whatever the prompt library returned for this input. */
export function typedAnswer(input: Input, raw: unknown): { ok: true; value: Value } | { ok: false; message: string } {
  if (input.type === 'bool' && typeof raw === 'boolean') return { ok: true, value: raw };
  if (input.type === 'number' && typeof raw === 'number') return { ok: true, value: raw };
  if (typeof raw === 'string') return fromText(input, raw);
  // An unanswered input prompt (no default) reads as empty text (null, for a nullable number).
  if (raw === undefined && input.type !== 'bool' && (input.type !== 'number' || isNullable(input))) return fromText(input, '');
  if (raw === null || Array.isArray(raw) || typeof raw === 'object') return { ok: true, value: raw as Value };
  return { ok: false, message: `unexpected answer ${String(raw)}` };
}

/**
 * One question per input of `group` not already in `known`. Each question
 * validates with the catalogue's validator against everything answered so far,
 * and its message names the field, so a refusal says which input is wrong.
 */
export function questionsFor(group: GroupId, known: Answers, askAnswered = false): Question[] {
  const merged = (session: Record<string, unknown>): Answers => ({ ...known, ...(session as Answers) });
  return INPUTS.filter((input) => input.group === group && (askAnswered || !(input.name in known))).map((input) => {
    const base = {
      name: input.name,
      message: input.prompt,
      when: (session: Record<string, unknown>) => isAsked(input, merged(session)),
    };
    const current = (session: Record<string, unknown>): Value | undefined =>
      input.name in known ? known[input.name] : fallback(input, merged(session));
    if (input.type === 'bool') {
      return { ...base, type: 'confirm' as const, default: (session: Record<string, unknown>) => (current(session) as boolean | undefined) ?? false };
    }
    if (input.choices) {
      return {
        ...base,
        type: 'select' as const,
        choices: input.choices.map((choice) => ({ name: choice, value: choice })),
        default: (session: Record<string, unknown>) => {
          const value = current(session);
          return value === undefined || value === null ? undefined : String(value);
        },
        filter: (raw: unknown) => (input.type === 'number' ? Number(raw) : raw),
      };
    }
    return {
      ...base,
      type: 'input' as const,
      default: (session: Record<string, unknown>) => {
        const shown = current(session);
        return shown === undefined || shown === null ? undefined : toText(input, shown);
      },
      validate: (raw: unknown, session: Record<string, unknown> = {}) => {
        const parsed = typedAnswer(input, raw);
        if (!parsed.ok) return `${input.name}: ${parsed.message}`;
        if (parsed.value === '' && input.type === 'string') return `${input.name}: is required`;
        return fieldProblem(input, parsed.value, merged(session)) ?? true;
      },
      filter: (raw: unknown) => {
        const parsed = typedAnswer(input, raw);
        return parsed.ok ? parsed.value : raw;
      },
    };
  });
}

/** The answers, group by group, as shown before writing. */
export function summary(answers: Answers): string {
  const lines: string[] = ['Summary'];
  for (const group of GROUPS) {
    const inputs = INPUTS.filter((input) => input.group === group.id);
    const width = Math.max(...inputs.map((input) => input.name.length));
    lines.push(`  ${group.title}`);
    for (const input of inputs) {
      const value = answers[input.name];
      lines.push(`    ${input.name.padEnd(width)}  ${value === null ? (input.nullMeans ? `(none: ${input.nullMeans})` : '(none)') : toText(input, value) || '(empty)'}`);
    }
  }
  return lines.join('\n');
}
