// The command line, declared once: the options that do something here (the
// catalogue's inputs and the run options), the help text, and the one parser,
// for the bin's arguments and for the options yo hands its generator. No
// Yeoman here: the bin answers --help and --version from this module alone.
import { GROUPS, INPUTS, flagName, isRequired, type Input } from '../inputs/catalogue.js';
import { closest } from '../inputs/suggest.js';
import { booleanWord } from './boolean.js';

export const PROGRAM = 'create-metaflow-metadata';
export const DESCRIPTION = 'Generate a Terraform module repository for the Metaflow Metadata Service on AWS Fargate.';

export interface OptionSpec {
  /** Kebab-case name, without the leading `--`. */
  name: string;
  /** Booleans also take a value: `--x false`, `--x=no`, `--no-x`. */
  kind: 'boolean' | 'string';
  description: string;
  /** Shown after a string option: `--answers <file>`. */
  placeholder?: string;
  /** One-letter alias. */
  alias?: string;
  /** The catalogue input this option answers. */
  input?: Input;
}

export const RUN_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'answers',
    kind: 'string',
    placeholder: '<file>',
    description: 'JSON or YAML file of answers, keyed by Terraform variable name (README, "Answers file")',
  },
  { name: 'interactive', kind: 'boolean', description: 'Ask for missing answers (default: only when stdin is a terminal); --no-interactive never asks' },
  { name: 'ask-answered', kind: 'boolean', description: 'At a terminal, ask again even for inputs that already have an answer' },
  { name: 'skip-git', kind: 'boolean', description: 'Do not create a git repository or commit' },
  { name: 'commit', kind: 'boolean', description: 'Also commit when the directory is inside an existing git repository (by default nothing is staged there)' },
  { name: 'restore', kind: 'boolean', description: 'Write again the generated files you deleted (by default they stay deleted)' },
  {
    name: 'force',
    kind: 'boolean',
    description: 'Replace files you changed since the last run with the new render, instead of merging your edits into it',
  },
  {
    name: 'dry-run',
    kind: 'boolean',
    description: 'Write nothing and ask nothing: label every file and show a unified diff of each change; exit 1 if the real run would conflict',
  },
  // AWS, read-only (src/lib/aws; README, "Your AWS account"): choices at the prompts and a check before apply.
  {
    name: 'preflight',
    kind: 'boolean',
    description: 'Write nothing: check the answers against your AWS account, read-only (each id exists, subnets in two zones of the VPC, the secret, key, bucket, cluster, role, database access, image); exit 1 on a blocking finding',
  },
  { name: 'profile', kind: 'string', placeholder: '<name>', description: 'AWS profile (shared config or SSO) for the prompts\' choices and --preflight (default: the standard chain: AWS_PROFILE, environment, ...)' },
  { name: 'discover', kind: 'boolean', description: 'At the prompts, offer choices read from your AWS account when credentials resolve (default); --no-discover never calls AWS' },
  { name: 'read-secret', kind: 'boolean', description: 'Let --preflight read the password secret\'s value to check its JSON key (never printed or stored); at a terminal it asks' },
];

export const META_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', alias: 'h', kind: 'boolean', description: 'Show this help' },
  { name: 'version', alias: 'v', kind: 'boolean', description: 'Print the version' },
];

const PLACEHOLDER: Record<Input['type'], string> = {
  string: '<text>',
  number: '<number>',
  bool: '[true|false]',
  'list(string)': '<a,b,...>',
  'map(string)': '<key=value,...>',
};

function inputNote(input: Input): string {
  if (isRequired(input)) return input.nullable ? ' (required; null allowed)' : ' (required)';
  const value = input.default;
  if (value === null) return ' (default: null)';
  if (Array.isArray(value)) return value.length === 0 ? ' (default: none)' : ` (default: ${value.join(',')})`;
  if (typeof value === 'object') return '';
  return ` (default: ${String(value)})`;
}

export const INPUT_OPTIONS: readonly OptionSpec[] = INPUTS.map((input) => ({
  name: flagName(input),
  kind: input.type === 'bool' ? 'boolean' : 'string',
  placeholder: PLACEHOLDER[input.type],
  description: `${input.description.replace(/\.$/, '')}${inputNote(input)}`,
  input,
}));

/** Options of the generator itself (what `yo` and the bin pass on), in help order. */
export const GENERATOR_OPTIONS: readonly OptionSpec[] = [...RUN_OPTIONS, ...INPUT_OPTIONS];

const ALL = new Map<string, OptionSpec>([...META_OPTIONS, ...GENERATOR_OPTIONS].map((spec) => [spec.name, spec]));
const BY_ALIAS = new Map<string, OptionSpec>(META_OPTIONS.filter((spec) => spec.alias).map((spec) => [spec.alias as string, spec]));

/** Yeoman's own options: they do nothing for this generator, so the bin does not take them. */
const YEOMAN_OPTIONS = new Set(['skip-install', 'force-install', 'skip-cache', 'local-config-only', 'whitespace', 'bail', 'skip-yo-resolve', 'cwd']);

/** A boolean option's value as typed: true/yes/y/1/on (or nothing), false/no/n/0/off; anything else is returned unchanged. */
export function booleanValue(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  return raw.trim() === '' ? true : (booleanWord(raw) ?? raw);
}

/** kebab-case from camelCase or snake_case: `apiBasicAuth`, `api_basic_auth` → `api-basic-auth`. */
export const kebab = (name: string): string => name.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// ---------------------------------------------------------------------------
// Help

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function optionLabel(spec: OptionSpec): string {
  const alias = spec.alias ? `-${spec.alias}, ` : '';
  const value = spec.placeholder && (spec.kind === 'string' || spec.input) ? ` ${spec.placeholder}` : '';
  return `${alias}--${spec.name}${value}`;
}

/** Two columns: labels, and descriptions wrapped to `width`. */
function table(entries: readonly { label: string; text: string }[], indent: string, width: number): string[] {
  const column = Math.min(Math.max(...entries.map((entry) => entry.label.length)) + 2, 34);
  const out: string[] = [];
  for (const { label, text } of entries) {
    const lines = wrap(text, width - indent.length - column);
    const pad = ' '.repeat(column);
    if (label.length + 2 > column) out.push(`${indent}${label}`, ...lines.map((line) => `${indent}${pad}${line}`));
    else out.push(`${indent}${label.padEnd(column)}${lines[0]}`, ...lines.slice(1).map((line) => `${indent}${pad}${line}`));
  }
  return out;
}

const entries = (specs: readonly OptionSpec[]) => specs.map((spec) => ({ label: optionLabel(spec), text: spec.description }));

/** The help text; `usage` is the command as the user runs it. */
export function helpText(usage = `${PROGRAM} [directory] [options]`, columns = 100): string {
  const width = Math.max(60, Math.min(columns, 120));
  const lines = [
    `Usage: ${usage}`,
    '',
    ...wrap(
      `${DESCRIPTION} At a terminal it asks for every input it lacks; with no terminal (CI, pipes) it never asks and takes the inputs from --answers and flags. Invalid answers are all reported, and then nothing is written.`,
      width,
    ),
    '',
    'Arguments:',
    ...table([{ label: 'directory', text: 'Where to generate (created if missing; default: the current directory)' }], '  ', width),
    '',
    'Options:',
    ...table(entries([...RUN_OPTIONS, ...META_OPTIONS]), '  ', width),
    '',
    ...wrap('Inputs (each a Terraform variable of the generated module, and a key of the answers file):', width),
  ];
  for (const group of GROUPS) {
    const specs = INPUT_OPTIONS.filter((spec) => spec.input?.group === group.id);
    if (specs.length > 0) lines.push(`  ${group.title}`, ...table(entries(specs), '    ', width));
  }
  lines.push(
    '',
    ...wrap(
      'Booleans take a value or none: --api-basic-auth false is --no-api-basic-auth. Lists are comma-separated (--vpc-cidr-blocks 10.0.0.0/16,10.1.0.0/16), maps are key=value pairs (--standard-tags env=dev,team=ml), and null is written null. Flags win over the answers file, which wins over the answers stored by an earlier run.',
      width,
    ),
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Parsing

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandLine {
  help: boolean;
  version: boolean;
  /** The directory argument, if given. */
  directory?: string;
  /** Generator options by kebab-case name: strings, or booleans for boolean options. */
  options: Record<string, string | boolean>;
}

function unknownOption(token: string, name: string): UsageError {
  if (YEOMAN_OPTIONS.has(name)) return new UsageError(`${token}: a Yeoman option that does nothing for this generator`);
  const suggestion = closest(name, ALL.keys(), Math.max(2, Math.floor(name.length / 4)));
  return new UsageError(`unknown option ${token}${suggestion ? `; did you mean --${suggestion}?` : ''}`);
}

/**
 * Parse the bin's arguments (without `node` and the script). `--help` and
 * `--version` (or -h, -v) win over everything else, errors included.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const help = flags.some((arg) => arg === '--help' || arg === '-h');
  const version = !help && flags.some((arg) => arg === '--version' || arg === '-v' || arg === '-V');
  const result: CommandLine = { help, version, options: {} };
  if (help || version) return result;

  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positional.push(token);
      continue;
    }
    if (!token.startsWith('--')) {
      const spec = BY_ALIAS.get(token.slice(1));
      throw spec ? new UsageError(`${token} cannot be combined here`) : unknownOption(token, token.slice(1));
    }
    const eq = token.indexOf('=');
    const written = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    let name = kebab(written);
    let negated = false;
    if (!ALL.has(name) && name.startsWith('no-') && ALL.get(name.slice(3))?.kind === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const spec = ALL.get(name);
    if (!spec) throw unknownOption(`--${written}`, name);
    if (spec.kind === 'boolean') {
      if (negated) {
        if (inline !== undefined) throw new UsageError(`--no-${name} takes no value`);
        result.options[name] = false;
        continue;
      }
      let raw: string | undefined = inline;
      // `--api-basic-auth false`: the next word is this flag's value when it is a boolean word.
      const next = argv[i + 1];
      if (raw === undefined && next !== undefined && i + 1 !== end && typeof booleanValue(next) === 'boolean' && next.trim() !== '') {
        raw = next;
        i++;
      }
      const value = raw === undefined ? true : booleanValue(raw);
      if (typeof value !== 'boolean') throw new UsageError(`--${name} takes true or false (or yes/no, 1/0), not ${JSON.stringify(raw)}`);
      result.options[name] = value;
      continue;
    }
    if (negated) throw unknownOption(token, `no-${name}`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || i + 1 === end || (next.startsWith('-') && next !== '-')) {
        throw new UsageError(`--${name} needs a value: --${name} ${spec.placeholder ?? '<value>'}${next?.startsWith('-') ? ` (or --${name}=${next} for a value that starts with -)` : ''}`);
      }
      value = next;
      i++;
    }
    result.options[name] = value;
  }
  if (positional.length > 1) {
    throw new UsageError(`too many arguments: ${positional.map((arg) => JSON.stringify(arg)).join(', ')}; the only argument is the directory to generate into`);
  }
  if (positional[0] !== undefined) result.directory = positional[0];
  return result;
}

/** Errors that say what went wrong and what to do, in the user's terms: shown as they are. */
const TOLD = new Set(['AnswersError', 'AnswersFileError', 'MergeConflictError', 'RecordError', 'InterruptedError', 'UncommittedError', 'PreflightError']);
/** A question cancelled (Ctrl-C at an inquirer prompt). */
const CANCELLED = new Set(['ExitPromptError', 'AbortPromptError']);

/** Whether `error` is a prompt cancelled (Ctrl-C, or an aborted question). */
export const isCancel = (error: unknown): boolean => error instanceof Error && CANCELLED.has(error.name);

/**
 * What the user sees when a run fails, and the exit status: 1 when the answers
 * or the files stop it, 2 for a mistake on the command line, 130 when a
 * question is cancelled. `program` is the command as typed (the bin, or `yo
 * metaflow-metadata`). Anything unexpected is named as ours (its stack with DEBUG set).
 */
export function failure(error: unknown, program: string, env: NodeJS.ProcessEnv = process.env): { message: string; exitCode: number } {
  if (!(error instanceof Error)) return { message: `${program}: ${String(error)}`, exitCode: 1 };
  if (TOLD.has(error.name)) return { message: error.message, exitCode: 1 };
  if (error.name === 'UsageError') return { message: `${program}: ${error.message}\nRun ${program} --help for the options.`, exitCode: 2 };
  if (error.name === 'CancelledError') return { message: `${program}: ${error.message}`, exitCode: 130 };
  if (CANCELLED.has(error.name)) return { message: `${program}: cancelled; nothing was written`, exitCode: 130 };
  return { message: `${program}: ${env.DEBUG ? (error.stack ?? error.message) : error.message}`, exitCode: 1 };
}

/**
 * Whether output gets colour: FORCE_COLOR decides when set (0 or false: none),
 * else a terminal that is not dumb, unless NO_COLOR (https://no-color.org).
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !env.NO_COLOR && Boolean(isTTY) && env.TERM !== 'dumb';
}

/**
 * The options Yeoman's environment adds to every generator it creates besides
 * its shared options (yeoman-environment 7: where the generator was found and
 * its namespace; env and _meta are objects, skipped by type).
 */
const ENVIRONMENT_KEYS = new Set(['resolved', 'namespace']);

/**
 * The command line behind options another program parsed: `yo` hands its
 * generator the positional arguments and the flags by name (camelCase and
 * kebab-case, values as typed or as its parser read them), among Yeoman's own.
 * The names of this generator's options are written back as `--name=value` and
 * read by parseCommandLine, so both routes take the same spellings and values
 * and refuse the same mistakes (an unknown or misspelt option included, with a
 * did-you-mean); only what the environment adds itself is left alone: its
 * shared options (`shared`, the same for every generator it runs: yo's own
 * environment shares none a user types) and where it found the generator.
 */
export function commandFromOptions(args: readonly string[], options: Readonly<Record<string, unknown>>, shared: Readonly<Record<string, unknown>> = {}): CommandLine {
  const argv: string[] = [];
  const unknown = new Set<string>();
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') continue;
    if (ENVIRONMENT_KEYS.has(key) || (key in shared && shared[key] === value)) continue;
    const spec = key.length === 1 ? BY_ALIAS.get(key.toLowerCase()) : ALL.get(kebab(key));
    if (!spec) {
      // Typed by the user (yo hands over every flag, camelCase and kebab-case): the bin's rule, refused with a did-you-mean.
      const name = key.length === 1 ? key : kebab(key);
      if (!unknown.has(name)) argv.push(key.length === 1 ? `-${key}` : typeof value === 'boolean' ? (value ? `--${name}` : `--no-${name}`) : `--${name}=${String(value)}`);
      unknown.add(name);
      continue;
    }
    if (META_OPTIONS.includes(spec)) {
      if (booleanValue(String(value)) === true) argv.push(`--${spec.name}`);
    } else argv.push(`--${spec.name}=${String(value)}`);
  }
  return parseCommandLine([...argv, '--', ...args]);
}
