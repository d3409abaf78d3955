// Inquirer questions built from the catalogue. Plain objects only: the
// generator hands them to Yeoman's prompt adapter, tests can inspect them.
import { GROUPS, INPUTS, isNullable, type Answers, type GroupId, type Input, type Value } from '../inputs/catalogue.js';
import { checkInput, fallback, fieldProblem, fromText, isAsked, toText } from './answers.js';

export interface Question {
  type: 'input' | 'confirm' | 'select' | 'search';
  name: string;
  message: string;
  default?: string | boolean | ((answers: Record<string, unknown>) => string | boolean | undefined);
  choices?: { name: string; value: string }[];
  /** A search prompt's list for what has been typed so far (inquirer's `search`: type to filter, arrows to pick). */
  source?: (term: string | undefined) => { name: string; value: string }[];
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
      // A list to pick from, filtered by what is typed: typing 2048 shows 2048 alone, and a typed
      // value chooses that value or is refused, never an item by its position (as a select's digits
      // do). Text that starts no choice is offered as itself, so that Enter refuses it, saying why;
      // Enter on a choice the text only starts completes the text to it first (inquirer's search).
      // A nullable input offers null first (empty text reads as null), named by what it means.
      const none = isNullable(input) ? [{ name: `none (${input.nullMeans ?? 'null'})`, value: '' }] : [];
      const all = [...none, ...input.choices.map((choice) => ({ name: choice, value: choice }))];
      let typed = '';
      return {
        ...base,
        type: 'search' as const,
        source: (term: string | undefined) => {
          typed = (term ?? '').trim();
          if (typed === '') return all;
          const matching = all.filter((choice) => choice.value !== '' && choice.value.startsWith(typed));
          return matching.length > 0 ? matching : [{ name: typed, value: typed }];
        },
        default: (session: Record<string, unknown>) => {
          const value = current(session);
          return value === undefined || value === null ? undefined : String(value);
        },
        validate: (raw: unknown) => {
          const chosen = String(raw);
          if (chosen === '' && none.length > 0) return typed === '' ? true : `${input.name}: "${typed}" is not one of its values`;
          if (!input.choices!.includes(chosen)) return `${input.name}: "${chosen}" is not one of ${input.choices!.join(', ')}`;
          return typed === '' || typed === chosen ? true : `${input.name}: "${typed}" is not one of its values: did you mean ${chosen}?`;
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
        // Empty text is an answer only where the input takes it (a suffix, when adopting).
        if (parsed.value === '' && input.type === 'string' && checkInput(input, '', merged(session)) !== undefined) return `${input.name}: is required`;
        return fieldProblem(input, parsed.value, merged(session)) ?? true;
      },
      filter: (raw: unknown) => {
        const parsed = typedAnswer(input, raw);
        return parsed.ok ? parsed.value : raw;
      },
    };
  });
}

/** One answer as the summary shows it. */
export function summaryValue(input: Input, value: Value | undefined): string {
  if (value === undefined) return '(not answered)';
  return value === null ? (input.nullMeans ? `(none: ${input.nullMeans})` : '(none)') : toText(input, value) || '(empty)';
}

/** The answers, group by group, as shown before writing. */
export function summary(answers: Answers): string {
  const lines: string[] = ['Summary'];
  for (const group of GROUPS) {
    // What another answer makes moot is neither asked nor shown (nor stored).
    const inputs = INPUTS.filter((input) => input.group === group.id && isAsked(input, answers));
    if (inputs.length === 0) continue;
    const width = Math.max(...inputs.map((input) => input.name.length));
    lines.push(`  ${group.title}`);
    for (const input of inputs) {
      const value = answers[input.name];
      lines.push(`    ${input.name.padEnd(width)}  ${summaryValue(input, value)}`);
    }
  }
  return lines.join('\n');
}
