// The Yeoman generator. Lifecycle methods stay thin: answers, prompts,
// validation and rendering live in ../lib and know nothing of Yeoman.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Generator from 'yeoman-generator';
import { GROUPS, INPUTS, INPUT_BY_NAME, isRequired, type Answers } from '../lib/inputs/catalogue.js';
import { AnswersError, AnswersFileError, checkInput, complete, fallback, notes, parseAnswersFile, type FieldNote } from '../lib/intake/answers.js';
import { GENERATOR_OPTIONS, booleanValue, camel, helpText, wantsColour } from '../lib/intake/command.js';
import { questionsFor, summary, typedAnswer } from '../lib/intake/prompts.js';
import { gatherAnswers } from '../lib/intake/store.js';
import { ANSWERS_TFVARS, driftNote } from '../lib/intake/drift.js';
import { render } from '../lib/render/render.js';
import { packageVersion } from '../lib/package.js';
import { MergeConflictError, conflicts, describePlan, describeRecords, dryRunReport, summarise } from '../lib/update/report.js';
import { carryOut, hasChanges, planRun, prepareTarget, writtenPaths, type Run } from '../lib/update/update.js';
import { UncommittedError, commitGenerated, uncommitted } from '../lib/finish/git.js';
import { nextSteps } from '../lib/finish/nextsteps.js';

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
  /** The target as the user sees it (relative to where they ran), for messages. */
  #shownTarget = '.';
  #run: Run | undefined;
  /** Whether this run wrote anything (a run with nothing to do neither commits nor suggests next steps). */
  #wrote = false;
  /** Notes already printed, so a group asked again does not repeat them. */
  #noted = new Set<string>();

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

  /** Print the cautions not printed yet (the catalogue's `warn`). */
  #note(found: readonly FieldNote[]): void {
    for (const { field, message } of found) {
      const line = `Note: ${field}: ${message}.`;
      if (this.#noted.has(line)) continue;
      this.#noted.add(line);
      this.log(line);
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

  async initializing(): Promise<void> {
    const cwd = this.env.cwd;
    const directory = this.#option('directory');
    this.#target = resolve(cwd, typeof directory === 'string' && directory !== '' ? directory : '.');
    this.#shownTarget = relative(cwd, this.#target) || '.';
    // A dry run asks nothing: it shows what the answers given would do.
    this.#interactive = !this.#option('dry-run') && ((this.#option('interactive') as boolean | undefined) ?? Boolean(process.stdin.isTTY));

    // Another run at work, an interrupted one to finish, records that cannot be trusted: before anything is asked.
    const prepared = await prepareTarget(this.#target, { dryRun: Boolean(this.#option('dry-run')), version: packageVersion(), force: Boolean(this.#option('force')) });
    for (const line of prepared) this.log(line);

    const answersFile = this.#option('answers');
    // A file that cannot be read or parsed is the one thing to report: where, and why.
    if (typeof answersFile === 'string') {
      const parsed = parseAnswersFile(resolve(cwd, answersFile), answersFile);
      if ('problem' in parsed) throw new AnswersFileError(parsed.problem);
    }
    const { answers: known, errors } = gatherAnswers(
      this.#target,
      typeof answersFile === 'string' ? resolve(cwd, answersFile) : undefined,
      this.options as Record<string, unknown>,
    );
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
      // An answers file stands for the answers it leaves out: they keep their
      // defaults, and only missing required inputs are asked (--ask-answered asks all).
      if (typeof answersFile === 'string' && !this.#option('ask-answered')) {
        for (const input of INPUTS) {
          if (input.name in known || isRequired(input)) continue;
          const value = fallback(input, known);
          if (value !== undefined) known[input.name] = value;
        }
      }
      this.#answers = known;
    } else {
      // Unattended: report every missing or invalid field at once.
      try {
        this.#answers = complete(known, 'answers', errors);
        this.#note(notes(this.#answers));
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
    // Cautions about answers no group printed (those an answers file gave, say).
    this.#note(notes(this.#answers));
    this.log(`\n${summary(this.#answers)}`);
    const { proceed } = await this.prompt<{ proceed: boolean }>([
      { type: 'confirm', name: 'proceed', message: `Write the module to ${this.#target}?`, default: true },
    ]);
    if (!proceed) throw new AnswersError([{ field: '(run)', message: 'cancelled at the summary' }]);
  }

  /** Ask, group by group, for every input `known` lacks (or all, with askAnswered). */
  async #ask(known: Answers, askAnswered: boolean): Promise<void> {
    for (const group of GROUPS) {
      for (let round = 1; ; round++) {
        const questions = questionsFor(group.id, known, askAnswered && round === 1);
        if (!questions.some((question) => question.when(known))) break;
        this.log(`\n${group.title}`);
        const session = await this.prompt(questions as never[]);
        for (const [name, raw] of Object.entries(session as Record<string, unknown>)) {
          const input = INPUT_BY_NAME.get(name);
          if (!input) continue;
          const parsed = typedAnswer(input, raw);
          if (!parsed.ok) throw new AnswersError([{ field: name, message: parsed.message }]);
          known[name] = parsed.value;
        }
        // A refusal about a combination of this group's answers (say, an open
        // API declined) is settled here, by asking those answers again at once.
        const refused = INPUTS.filter((input) => input.group === group.id && input.reaskWith && input.name in known).find((input) => checkInput(input, known[input.name]!, known));
        if (!refused || round >= 3) {
          this.#note(notes(known, INPUTS.filter((input) => input.group === group.id)));
          break;
        }
        this.log(`${refused.name}: ${checkInput(refused, known[refused.name]!, known)}`);
        for (const name of [refused.name, ...(refused.reaskWith ?? [])]) delete known[name];
      }
    }
  }

  async writing(): Promise<void> {
    const version = packageVersion();
    const files = render(this.#answers, { version });
    // Each file on its own: untouched files are replaced, edited ones merged
    // with the new render (3-way, base = what was written last time), deleted
    // ones stay deleted. No prompt, no --force needed; see src/lib/update.
    const force = Boolean(this.#option('force'));
    const run = planRun({ target: this.#target, rendered: files, answers: this.#answers, version, force, restore: Boolean(this.#option('restore')) });
    this.#run = run;
    if (run.recorded.kind === 'none' && existsSync(this.#target)) {
      // Terraform reads every .tf file of a directory: say so when ours join someone else's.
      const foreign = readdirSync(this.#target).filter((name) => name.endsWith('.tf') && !files.has(name));
      if (foreign.length > 0) this.log(`Note: Terraform reads every .tf file of ${this.#shownTarget} as part of this module, including ones that were there before: ${foreign.join(', ')}.`);
    }
    const shown = (path: string): string => join(this.#shownTarget, path);
    const tfvars = run.plans.find((plan) => plan.path === ANSWERS_TFVARS);
    const drift = driftNote(tfvars?.after?.toString('utf8'), files.get(ANSWERS_TFVARS) as string | undefined);
    if (this.#option('dry-run')) {
      process.stdout.write(dryRunReport(run, shown) + (drift ? `${drift}\n` : ''));
      const conflicted = conflicts(run.plans);
      if (conflicted.length > 0) throw new MergeConflictError(conflicted, true);
      return;
    }
    if (force) await this.#confirmForce(run);
    for (const note of run.notes) this.log(`Note: ${note}`);
    if (hasChanges(run)) {
      await carryOut(run);
      this.#wrote = true;
    }
    const colour = wantsColour(process.env, process.stdout.isTTY);
    for (const line of describePlan(run.plans, false, shown, colour)) this.log(line);
    if (this.#wrote) for (const line of describeRecords(run.records, shown, run.leftovers)) this.log(line);
    if (drift) this.log(drift);
    this.log(summarise(run));
  }

  /** --force inside a git work tree: never replace uncommitted work without an explicit yes. */
  async #confirmForce(run: Run): Promise<void> {
    const replaced = run.plans.filter((plan) => plan.action === 'overwritten').map((plan) => plan.path);
    const dirty = uncommitted(this.#target, replaced) ?? [];
    if (dirty.length === 0) return;
    if (this.#interactive) {
      this.log(`--force would replace uncommitted changes (git cannot bring them back):\n${dirty.map((path) => `  - ${path}`).join('\n')}`);
      const { replace } = await this.prompt<{ replace: boolean }>([{ type: 'confirm', name: 'replace', message: 'Replace them with the new render?', default: false }]);
      if (replace) return;
    }
    throw new UncommittedError(dirty);
  }

  end(): void {
    const conflicted = this.#run ? conflicts(this.#run.plans) : [];
    if (this.#option('dry-run') || !this.#wrote || !this.#run) {
      if (conflicted.length > 0 && !this.#option('dry-run')) throw new MergeConflictError(conflicted);
      return;
    }
    let committed = false;
    if (!this.#option('skip-git')) {
      const result = commitGenerated(this.#target, writtenPaths(this.#run), packageVersion(), Boolean(this.#option('commit')), conflicted);
      committed = result.committed;
      this.log(result.message);
    }
    this.log(`\n${nextSteps(this.#target, this.env.cwd, this.#answers, committed)}`);
    if (conflicted.length > 0) throw new MergeConflictError(conflicted);
  }
}
