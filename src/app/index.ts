// The Yeoman generator. Lifecycle methods stay thin: answers, prompts,
// validation and rendering live in ../lib and know nothing of Yeoman.
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Generator from 'yeoman-generator';
import { GROUPS, INPUT_BY_NAME, type Answers } from '../lib/catalogue.js';
import { AnswersError, AnswersFileError, checkInput, complete, parseAnswersFile } from '../lib/answers.js';
import { GENERATOR_OPTIONS, booleanValue, camel, helpText } from '../lib/command.js';
import { ConflictError, manifestOf, planWrites, type Manifest } from '../lib/manifest.js';
import { questionsFor, summary, typedAnswer } from '../lib/prompts.js';
import { packageVersion, render } from '../lib/render.js';
import { gatherAnswers } from '../lib/store.js';
import { commitGenerated } from '../lib/git.js';
import { nextSteps } from '../lib/nextsteps.js';

type Options = Record<string, unknown>;

/** Yeoman's own options, which do nothing for this generator: not shown in its help. */
const YEOMAN_OPTIONS = ['skip-cache', 'skip-install', 'force-install'];

/** Yeoman logs this before rethrowing a task's error; the error itself says what went wrong. */
const TASK_FAILED = 'An error occured while running ';

/** A boolean option's type: the words users type (false, no, 0, ...) as booleans. */
function booleanOption(raw: unknown): unknown {
  return booleanValue(raw);
}

export default class MetaflowMetadataGenerator extends Generator {
  #target = '';
  #answers: Answers = {};
  #interactive = false;
  #manifest: Manifest = {};
  #targetExisted = true;
  /** Paths this run writes, relative to the target (the files a first commit holds). */
  #written: string[] = [];

  constructor(args: string[], options: Options) {
    // The generated repository has no package.json: never run a package manager.
    super(args, options as never, { customInstallTask: true });
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Directory to generate the module repository into (default: the current directory)',
    });
    // The options of lib/command.ts, which the bin parses and --help lists. A
    // boolean's type takes the words users type (`--api-basic-auth false` via yo).
    for (const spec of GENERATOR_OPTIONS) {
      this.option(spec.name, { type: spec.kind === 'boolean' ? booleanOption : String, description: spec.description });
    }
    this.option('version', { type: Boolean, alias: 'v', description: 'Print the version' });
    for (const name of YEOMAN_OPTIONS) {
      const spec = (this._options as Record<string, { hide?: boolean }>)[name];
      if (spec) spec.hide = true;
    }
    // yo passes both spellings of each flag, camelCased as typed ("false" is a string there).
    const given = this.options as Record<string, unknown>;
    for (const spec of GENERATOR_OPTIONS) {
      if (spec.kind !== 'boolean') continue;
      for (const key of [spec.name, camel(spec.name)]) if (typeof given[key] === 'string') given[key] = booleanValue(given[key]);
    }
    // Errors reach the user once, from the bin or from yo, without Yeoman's "An error occured while running" line first.
    const log = this.log as ((...args: unknown[]) => unknown) & { error?: (...args: unknown[]) => unknown } | undefined;
    if (log?.error) {
      const error = log.error;
      const quiet = Object.assign((...args: unknown[]) => log(...args), log, {
        error: (...args: unknown[]) => (typeof args[0] === 'string' && args[0].startsWith(TASK_FAILED) ? quiet : error.apply(quiet, args)),
      });
      (this as { log: unknown }).log = quiet;
    }
  }

  /** `yo metaflow-metadata --help`: the bin's help, as yo runs it. */
  override help(): string {
    return helpText(`yo ${this._namespace.replace(/:app$/, '')} [directory] [options]`, process.stdout.columns ?? 100);
  }

  /** `yo metaflow-metadata --version` (or -v): print the version and do nothing else. */
  override async _queueTasks(): Promise<void> {
    if ((this.options as Options).version !== true) return super._queueTasks();
    this.queueTask({ method: () => void process.stdout.write(`${packageVersion()}\n`), taskName: 'version', queueName: 'initializing' });
  }

  #option(name: string): unknown {
    const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    // `yo` passes flags as written (kebab-case), yeoman-environment's command
    // camelCased; Yeoman may also fill the other spelling with a default false.
    const options = this.options as Record<string, unknown>;
    const values = [options[camel], options[name]].filter((value) => value !== undefined);
    return values.find((value) => value !== false) ?? values[0];
  }

  initializing(): void {
    const cwd = this.env.cwd;
    const directory = this.#option('directory');
    this.#target = resolve(cwd, typeof directory === 'string' && directory !== '' ? directory : '.');
    this.#interactive = (this.#option('interactive') as boolean | undefined) ?? Boolean(process.stdin.isTTY);

    const answersFile = this.#option('answers');
    // A file that cannot be read or parsed is the one thing to report: where, and why.
    if (typeof answersFile === 'string') {
      const parsed = parseAnswersFile(resolve(cwd, answersFile), answersFile);
      if ('problem' in parsed) throw new AnswersFileError(parsed.problem);
    }
    const { answers: known, errors, manifest } = gatherAnswers(
      this.#target,
      typeof answersFile === 'string' ? resolve(cwd, answersFile) : undefined,
      this.options as Record<string, unknown>,
    );
    this.#manifest = manifest;
    // Likewise an unreadable .yo-rc.json: its error alone, not every answer it would have held.
    const unreadable = errors.filter((e) => e.field === '(file)');
    if (unreadable.length > 0) throw new AnswersError(unreadable);

    if (this.#interactive) {
      if (errors.length > 0) throw new AnswersError(errors);
      // At a terminal, a value that fails validation is asked again instead.
      for (const [name, value] of Object.entries(known)) {
        const input = INPUT_BY_NAME.get(name);
        const problem = input && checkInput(input, value, known);
        if (problem) {
          this.log(`${name}: ${problem}; asking again.`);
          delete known[name];
        }
      }
      this.#answers = known;
    } else {
      // Unattended: report every missing or invalid field at once.
      try {
        this.#answers = complete(known, 'answers', errors);
      } catch (error) {
        if (error instanceof AnswersError && error.errors.some((e) => e.message.startsWith('is required'))) {
          const hint = process.stdin.isTTY
            ? 'Answers are missing and --no-interactive says not to ask: give them with --answers <file> or flags, or leave out --no-interactive to be asked.'
            : 'Answers are missing and there is no terminal to ask in: give them with --answers <file> (JSON or YAML, keyed by the names below) or flags (--help lists them), or run in a terminal to be asked.';
          error.message = `${hint}\n${error.message}`;
        }
        throw error;
      }
    }
  }

  async prompting(): Promise<void> {
    if (!this.#interactive) return;
    const known = { ...this.#answers };
    await this.#ask(known, Boolean(this.#option('ask-answered')));
    // Prompts validate one field at a time against what was known then, and
    // mocked prompts not at all: check the whole set, and ask again for any
    // field that no longer fits (say, a region outside the partition chosen later).
    for (let round = 1; ; round++) {
      try {
        this.#answers = complete(known);
        break;
      } catch (error) {
        if (!(error instanceof AnswersError) || round >= 3) throw error;
        for (const { field, message } of error.errors) {
          this.log(`${field}: ${message}`);
          for (const name of [field, ...(INPUT_BY_NAME.get(field)?.reaskWith ?? [])]) delete known[name];
        }
        await this.#ask(known, false);
      }
    }
    this.log(`\n${summary(this.#answers)}`);
    const { proceed } = await this.prompt<{ proceed: boolean }>([
      { type: 'confirm', name: 'proceed', message: `Write the module to ${this.#target}?`, default: true },
    ]);
    if (!proceed) throw new AnswersError([{ field: '(run)', message: 'cancelled at the summary' }]);
  }

  /** Ask, group by group, for every input `known` lacks (or all, with askAnswered). */
  async #ask(known: Answers, askAnswered: boolean): Promise<void> {
    for (const group of GROUPS) {
      const questions = questionsFor(group.id, known, askAnswered);
      if (!questions.some((question) => question.when(known))) continue;
      this.log(`\n${group.title}`);
      const session = await this.prompt(questions as never[]);
      for (const [name, raw] of Object.entries(session as Record<string, unknown>)) {
        const input = INPUT_BY_NAME.get(name);
        if (!input) continue;
        const parsed = typedAnswer(input, raw);
        if (!parsed.ok) throw new AnswersError([{ field: name, message: parsed.message }]);
        known[name] = parsed.value;
      }
    }
  }

  writing(): void {
    const version = packageVersion();
    const files = render(this.#answers, { version });
    // Files changed since the last run are the user's: at a terminal Yeoman
    // shows each diff and asks; unattended, refuse rather than overwrite.
    const statuses = planWrites(files, this.#target, this.#manifest);
    const modified = statuses.filter((s) => s.status === 'modified').map((s) => s.path);
    if (modified.length > 0 && !this.#interactive && !this.#option('force')) throw new ConflictError(modified);
    this.#targetExisted = existsSync(this.#target);
    this.destinationRoot(this.#target);
    this.config.set('version', version);
    this.config.set('answers', this.#answers);
    this.config.set('files', manifestOf(files));
    this.#written = [...statuses.map((s) => s.path), '.yo-rc.json'];
    for (const { path, status } of statuses) {
      const full = this.destinationPath(path);
      this.fs.write(full, files.get(path) as string | Buffer);
      // Untouched since the last run: upgrade without asking.
      if (status === 'update') (this.fs.store.get(full) as { conflicter?: string }).conflicter = 'force';
    }
  }

  end(): void {
    if (this.#option('dry-run')) {
      // Yeoman creates the destination directory up front; a dry run leaves no trace.
      if (!this.#targetExisted && readdirSync(this.#target).length === 0) rmdirSync(this.#target);
      return;
    }
    let committed = false;
    if (!this.#option('skip-git')) {
      const result = commitGenerated(this.#target, [...this.#written], packageVersion(), Boolean(this.#option('commit')));
      committed = result.committed;
      this.log(result.message);
    }
    this.log(`\n${nextSteps(this.#target, this.env.cwd, this.#answers, committed)}`);
  }
}
