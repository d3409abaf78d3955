// Turning raw answers (answers file, flags, prompts, .yo-rc.json) into a
// complete, validated set. Pure: no Yeoman, no terminal.
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { INPUTS, INPUT_BY_NAME, flagName, isNullable, isRequired, type Answers, type Input, type Value } from '../inputs/catalogue.js';
import { closest } from '../inputs/suggest.js';
import { show } from '../inputs/validators.js';
import { LEGACY_INPUTS, SOURCE, adopting } from '../adopt/terraform-aws-metaflow.js';
import { booleanWord } from './boolean.js';

export interface FieldError {
  field: string;
  message: string;
}

export class AnswersError extends Error {
  constructor(
    readonly errors: readonly FieldError[],
    readonly source = 'answers',
  ) {
    super(formatErrors(errors, source));
    this.name = 'AnswersError';
  }
}

export function formatErrors(errors: readonly FieldError[], source = 'answers'): string {
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  return [`${count} in ${source}; nothing was written:`, ...errors.map((e) => `  - ${e.field}: ${e.message}`)].join('\n');
}

export const MAX_ANSWERS_BYTES = 1024 * 1024;

type Result = { ok: true; value: Value } | { ok: false; message: string };
const ok = (value: Value): Result => ({ ok: true, value });
const bad = (message: string): Result => ({ ok: false, message });

const typeWord: Record<Input['type'], string> = {
  string: 'a string',
  number: 'a number',
  bool: 'true or false',
  'list(string)': 'a list of strings',
  'map(string)': 'an object of string values',
};

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${show(value)}`;
}

/**
 * Check a value from JSON/YAML (or .yo-rc.json): natural types only, nothing
 * converted, but for one rule shared with flags and prompts: a boolean may be
 * written as one of the words that mean yes or no (YAML 1.2 reads `yes` as text).
 */
export function fromJson(input: Input, value: unknown): Result {
  const expected = `expected ${typeWord[input.type]}${isNullable(input) ? ' or null' : ''}, got ${describeType(value)}`;
  if (value === null) return isNullable(input) ? ok(null) : bad(expected);
  switch (input.type) {
    case 'string':
      return typeof value === 'string' ? ok(value) : bad(expected);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? ok(value) : bad(expected);
    case 'bool': {
      const word = typeof value === 'string' ? booleanWord(value) : undefined;
      return typeof value === 'boolean' ? ok(value) : word !== undefined ? ok(word) : bad(expected.replace('true or false', 'true or false (or yes/no, on/off, 1/0)'));
    }
    case 'list(string)':
      if (!Array.isArray(value)) return bad(expected);
      for (const [i, item] of value.entries()) {
        if (typeof item !== 'string') return bad(`item ${i + 1} is ${describeType(item)}; ${expected.replace(/, got.*/, '')}`);
      }
      return ok([...(value as string[])]);
    case 'map(string)': {
      if (typeof value !== 'object' || Array.isArray(value)) return bad(expected);
      const out: Record<string, string> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (typeof item !== 'string') return bad(`key ${show(key)} holds ${describeType(item)}; ${expected.replace(/, got.*/, '')}`);
        out[key] = item;
      }
      return ok(out);
    }
  }
}

/** Parse text typed at a prompt or given as a flag. Lists take commas, spaces or newlines; maps commas or newlines. */
export function fromText(input: Input, raw: string): Result {
  const text = raw.trim();
  switch (input.type) {
    case 'string':
      // Empty text (a prompt left blank) or the word null (a flag) means null where null is an answer.
      if ((text === '' || text === 'null') && isNullable(input)) return ok(null);
      return ok(text);
    case 'number':
      // Empty text or the word null means null where null is an answer (no quota, say).
      if ((text === '' || text === 'null') && isNullable(input)) return ok(null);
      return /^[0-9]{1,9}$/.test(text) ? ok(Number(text)) : bad(`${show(raw)} is not a whole number`);
    case 'bool': {
      const value = booleanWord(text);
      return value === undefined ? bad(`${show(raw)} is not true or false`) : ok(value);
    }
    case 'list(string)':
      // Items of the lists we take (CIDR blocks) never hold spaces: any separator will do.
      return ok(splitItems(text.replace(/\s+/g, ',')));
    case 'map(string)': {
      const out: Record<string, string> = {};
      for (const item of splitItems(text)) {
        const eq = item.indexOf('=');
        if (eq < 1) return bad(`${show(item)} is not key=value`);
        const key = item.slice(0, eq).trim();
        if (key in out) return bad(`tag ${show(key)} is given twice`);
        out[key] = item.slice(eq + 1).trim();
      }
      return ok(out);
    }
  }
}

function splitItems(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Render a value back to the text a prompt or flag would take. */
export function toText(input: Input, value: Value | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, item]) => `${k}=${item}`).join(', ');
  return String(value);
}

// ---------------------------------------------------------------------------

export function didYouMean(key: string): string {
  const normal = key.toLowerCase().replace(/-/g, '_');
  const containing = normal.length >= 4 ? INPUTS.find((input) => input.name.includes(normal)) : undefined;
  if (containing) return `; did you mean ${containing.name}?`;
  const best = closest(normal, INPUTS.map((input) => input.name), Math.max(3, Math.floor(normal.length / 3)));
  return best ? `; did you mean ${best}?` : '';
}

/** Answers read from one source, with what was wrong in it. */
export interface Collected {
  answers: Answers;
  errors: FieldError[];
  /**
   * Inputs of the module an adopting run takes over (LEGACY_INPUTS), as
   * given: read only once it is known whether the run adopts (settleLegacy).
   */
  legacy?: Record<string, unknown>;
}

/**
 * A source's answers once it is known whether the run adopts an existing
 * deployment (adopt_from, from any source): adopting, the old module's inputs
 * this generator names otherwise are read under our name
 * (enable_api_basic_auth → api_basic_auth) or left out (database_password,
 * never kept: the module reads the secret instead); not adopting, each of
 * them is an error naming it.
 */
export function settleLegacy(collected: Collected, isAdopting = adopting(collected.answers)): Collected {
  const answers: Answers = { ...collected.answers };
  const errors = [...collected.errors];
  for (const [key, value] of Object.entries(collected.legacy ?? {})) {
    const rule = LEGACY_INPUTS[key];
    if (!rule) continue;
    if (!isAdopting) {
      const here = 'becomes' in rule ? `; this generator calls it ${rule.becomes}` : `, not of this generator: ${rule.dropped}`;
      errors.push({ field: key, message: `is an input of ${SOURCE.repository}'s module, read only when adopting one of its deployments (adopt_from)${here}` });
      continue;
    }
    if (!('becomes' in rule)) continue;
    const input = INPUT_BY_NAME.get(rule.becomes) as Input;
    const typed = fromJson(input, value);
    if (!typed.ok) errors.push({ field: key, message: typed.message });
    else if (rule.becomes in answers && JSON.stringify(answers[rule.becomes]) !== JSON.stringify(typed.value)) {
      errors.push({ field: key, message: `is ${show(typed.value)} but ${rule.becomes}, the same input here, is ${show(answers[rule.becomes])}: give one of them` });
    } else answers[rule.becomes] = typed.value;
  }
  return { answers, errors };
}

/** Answers that adopt: is_gov left to follow iam_partition (the old module declared it and read the partition). */
export function adoptedAnswers(answers: Answers): Answers {
  if (!adopting(answers) || !('is_gov' in answers)) return answers;
  const { is_gov: _derived, ...rest } = answers;
  return rest;
}

/** Throw the errors of a source, or return its answers. */
export function orThrow(collected: Collected, source: string): Answers {
  const settled = settleLegacy(collected);
  if (settled.errors.length > 0) throw new AnswersError(settled.errors, source);
  return adoptedAnswers(settled.answers);
}

/** Read typed answers from an object such as a parsed answers file. Unknown keys are errors. */
export function readAnswers(data: unknown): Collected {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { answers: {}, errors: [{ field: '(file)', message: `expected an object of variable names to values, got ${describeType(data)}` }] };
  }
  const errors: FieldError[] = [];
  const answers: Answers = {};
  const legacy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const input = INPUT_BY_NAME.get(key);
    if (!input && key in LEGACY_INPUTS) {
      legacy[key] = value;
      continue;
    }
    if (!input) {
      errors.push({ field: key, message: `is not an input of this generator${didYouMean(key)}` });
      continue;
    }
    const result = fromJson(input, value);
    if (result.ok) answers[key] = result.value;
    else errors.push({ field: key, message: result.message });
  }
  return Object.keys(legacy).length > 0 ? { answers, errors, legacy } : { answers, errors };
}

export function answersFromObject(data: unknown, source: string): Answers {
  return orThrow(readAnswers(data), source);
}

const fileError = (message: string): Collected => ({ answers: {}, errors: [{ field: '(file)', message }] });

/** Why a file cannot be used at all, located (1-based) when it can be. */
export interface FileProblem {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

/** `file:line:column: message`, the way compilers and editors name a place in a file. */
export const formatFileProblem = (problem: FileProblem): string =>
  `${problem.file}${problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`}: ${problem.message}`;

/** An answers file that cannot be read or parsed: its own error, with nothing about the answers it would have held. */
export class AnswersFileError extends Error {
  constructor(readonly problem: FileProblem) {
    super(`${formatFileProblem(problem)}\nnothing was written`);
    this.name = 'AnswersFileError';
  }
}

/** 1-based line and column of an offset into text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

/**
 * Offset of the first JSON syntax error in `text` (text.length when it ends
 * too early), or -1 when it is valid. V8's messages carry a position only for
 * some errors, and not in every Node version: this finds it for all.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '' || match[0] === '-') fail();
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth > 1000) fail();
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    if (typeof offset !== 'number') throw offset;
    return offset;
  }
}

/** V8's reason for a JSON error, without the position or the quoted source it sometimes adds. */
function jsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/( in JSON)? at position \d+$/, '')
    .replace(/\n/g, '\\n');
}

/**
 * The text of an answers file: UTF-8, with or without the byte-order mark some
 * editors write. UTF-16 and other encodings are refused, located.
 */
function decodeText(bytes: Buffer): { text: string } | { problem: Omit<FileProblem, 'file'> } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { message: 'is encoded in UTF-16: save it as UTF-8' } };
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    // The first byte that is not UTF-8: where the text decoded leniently (U+FFFD for bad bytes) re-encodes differently.
    const again = Buffer.from(body.toString('utf8'), 'utf8');
    let good = 0;
    while (good < body.length && body[good] === again[good]) good++;
    const where = lineColumn(body.subarray(0, good).toString('utf8'), Number.MAX_SAFE_INTEGER);
    return { problem: { message: 'is not UTF-8 text: save it as UTF-8', ...where } };
  }
}

/** Parse a JSON or YAML answers file (YAML by its .yaml/.yml extension, JSON otherwise), or say why it cannot be used. */
export function parseAnswersFile(file: string, shownAs = file): { data: unknown } | { problem: FileProblem } {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch {
    return { problem: { file: shownAs, message: 'cannot read the answers file: no such file' } };
  }
  if (stat.isDirectory()) return { problem: { file: shownAs, message: 'is a directory: give the answers file itself (JSON, or YAML named .yaml/.yml)' } };
  if (stat.size > MAX_ANSWERS_BYTES) return { problem: { file: shownAs, message: `is ${stat.size} bytes; an answers file may be at most ${MAX_ANSWERS_BYTES}` } };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { problem: { file: shownAs, message: `cannot read the answers file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
  }
  const decoded = decodeText(bytes);
  if ('problem' in decoded) return { problem: { file: shownAs, ...decoded.problem } };
  const text = decoded.text;
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return { data: parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 }) };
    } catch (error) {
      const where = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      const reason = (error instanceof Error ? (error.message.split('\n')[0] as string) : String(error)).replace(/ at line \d+, column \d+:?$/, '');
      return { problem: { file: shownAs, message: `not valid YAML: ${reason}`, ...(where ? { line: where.line, column: where.col } : {}) } };
    }
  }
  try {
    return { data: JSON.parse(text) };
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const where = lineColumn(text, offset === -1 ? 0 : offset);
    const reason = offset >= text.length ? 'the file ends before the JSON does' : jsonReason(error);
    return { problem: { file: shownAs, message: `not valid JSON: ${reason}`, ...where } };
  }
}

/** Read a JSON or YAML answers file (YAML by its .yaml/.yml extension, JSON otherwise). */
export function readAnswersFile(file: string): Collected {
  const parsed = parseAnswersFile(file);
  if ('problem' in parsed) {
    const { message, line, column } = parsed.problem;
    return fileError(line === undefined ? message : `line ${line}, column ${column}: ${message}`);
  }
  return readAnswers(parsed.data);
}

export function loadAnswersFile(file: string): Answers {
  return orThrow(readAnswersFile(file), file);
}

/** Parse flag values (strings, or booleans for bool inputs), by flag name (`api-basic-auth`), into typed answers. */
export function readFlags(flags: Readonly<Record<string, unknown>>): Collected {
  const errors: FieldError[] = [];
  const answers: Answers = {};
  for (const input of INPUTS) {
    const raw = flags[flagName(input)];
    if (raw === undefined) continue;
    const result = typeof raw === 'boolean' && input.type === 'bool' ? ok(raw) : fromText(input, String(raw));
    if (result.ok) answers[input.name] = result.value;
    else errors.push({ field: input.name, message: `(--${flagName(input)}) ${result.message}` });
  }
  return { answers, errors };
}

/** Whether a prompt for this input is shown, given the answers so far. */
export function isAsked(input: Input, answers: Answers): boolean {
  return input.when ? input.when(answers) : true;
}

/**
 * The answers worth recording: each input whose question applies to these
 * answers. One that another answer makes moot (an access list with API Gateway
 * off, say) is left out: the render uses its fallback, and a later run that
 * makes it matter again asks it.
 */
export function storable(answers: Answers): Answers {
  return Object.fromEntries(INPUTS.filter((input) => input.name in answers && isAsked(input, answers)).map((input) => [input.name, answers[input.name] as Value]));
}

/** Answers given that the others make moot, so set aside for the value used when not asked: a note each. */
export function setAside(given: Answers, answers: Answers): FieldNote[] {
  return INPUTS.filter((input) => input.name in given && !isAsked(input, answers) && JSON.stringify(given[input.name]) !== JSON.stringify(answers[input.name])).map((input) => ({
    field: input.name,
    message: `not used with the other answers (its question does not apply to them), so the value given is set aside and not recorded`,
  }));
}

/** The value used when an input is neither answered nor asked. */
export function fallback(input: Input, answers: Answers): Value | undefined {
  const suggested = input.suggest?.(answers);
  if (suggested !== undefined) return suggested;
  return input.default;
}

/** Validate one input against the answers known so far; the message names no field. */
export function checkInput(input: Input, value: Value, answers: Answers): string | undefined {
  const typed = fromJson(input, value);
  if (!typed.ok) return typed.message;
  try {
    return (input.validate as (value: Value, answers: Answers) => string | undefined)(typed.value, answers);
  } catch (error) {
    return `could not be checked: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A problem with one input's value, prefixed with the field name; undefined when the value is fine. */
export function fieldProblem(input: Input, value: Value, answers: Answers): string | undefined {
  const problem = checkInput(input, value, answers);
  return problem === undefined ? undefined : `${input.name}: ${problem}`;
}

/**
 * The canonical form of a value: text in Unicode NFC (HCL normalises every
 * string literal to NFC, so this is what Terraform will see anyway) and maps
 * with sorted keys, so the same answers always give the same bytes.
 */
export function normalise(value: Value): Value {
  if (typeof value === 'string') return value.normalize('NFC');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => item.normalize('NFC'));
  const entries = Object.entries(value).map(([key, item]) => [key.normalize('NFC'), item.normalize('NFC')] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Fill in unasked and defaulted inputs and validate everything. Returns the
 * complete answers or throws an AnswersError listing every offending field.
 * Inputs that are missing and required are reported, never guessed.
 */
export function complete(given: Answers, source = 'answers', earlier: readonly FieldError[] = []): Answers {
  const answers: Answers = {};
  const errors: FieldError[] = [...earlier];
  const reported = new Set(earlier.map((e) => e.field));
  for (const input of INPUTS) {
    if (!(input.name in given)) continue;
    const value = given[input.name] as Value;
    // Only values of the right type are normalised; the rest are reported below.
    answers[input.name] = fromJson(input, value).ok ? normalise(value) : value;
  }
  for (const input of INPUTS) {
    if (input.name in answers) continue;
    const value = !isAsked(input, answers) || !isRequired(input) ? fallback(input, answers) : undefined;
    if (value !== undefined) answers[input.name] = value;
    else if (!reported.has(input.name)) errors.push({ field: input.name, message: `is required: ${input.description}` });
  }
  for (const input of INPUTS) {
    if (!(input.name in answers) || reported.has(input.name)) continue;
    const problem = checkInput(input, answers[input.name] as Value, answers);
    if (problem) errors.push({ field: input.name, message: problem });
  }
  if (errors.length > 0) throw new AnswersError(errors, source);
  // Then an answer that others make moot (its question does not apply) takes the value used when it
  // is not asked, so what is rendered is what a re-run from the stored answers renders (see storable).
  for (const input of INPUTS) {
    if (!(input.name in given) || isAsked(input, answers)) continue;
    const value = fallback(input, answers);
    if (value !== undefined) answers[input.name] = value;
  }
  // Catalogue order, whatever order the sources gave: stored files stay stable.
  return Object.fromEntries(INPUTS.filter((input) => input.name in answers).map((input) => [input.name, answers[input.name] as Value]));
}

/** A caution about an accepted answer: printed, never refusing. */
export interface FieldNote {
  field: string;
  message: string;
}

/** The catalogue's cautions (`warn`) about these answers, for the inputs given (all by default) that hold a valid value. */
export function notes(answers: Answers, inputs: readonly Input[] = INPUTS): FieldNote[] {
  const out: FieldNote[] = [];
  for (const input of inputs) {
    if (!input.warn || !(input.name in answers)) continue;
    const value = answers[input.name] as Value;
    if (checkInput(input, value, answers) !== undefined) continue;
    const message = (input.warn as (value: Value, answers: Answers) => string | undefined)(value, answers);
    if (message) out.push({ field: input.name, message });
  }
  return out;
}

/** Inputs that still need an answer. */
export function missing(answers: Answers): Input[] {
  return INPUTS.filter((input) => !(input.name in answers) && isAsked(input, answers) && isRequired(input));
}
