// The Yeoman generator. Lifecycle methods stay thin: answers, prompts,
// validation and rendering live in ../lib and know nothing of Yeoman.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Generator from 'yeoman-generator';
import { GROUPS, INPUTS, INPUT_BY_NAME, flagName, type Answers } from '../lib/inputs/catalogue.js';
import { AnswersError, checkInput, complete } from '../lib/intake/answers.js';
import { questionsFor, summary, typedAnswer } from '../lib/intake/prompts.js';
import { buildArtifacts, packageVersion, render } from '../lib/render/render.js';
import { MergeConflictError, applyPlan, conflicts, describePlan, summarise, unifiedDiff, writtenPaths } from '../lib/update/apply.js';
import { planUpdate, type FilePlan } from '../lib/update/plan.js';
import { readBase } from '../lib/update/record.js';
import { gatherAnswers } from '../lib/intake/store.js';
import { commitGenerated } from '../lib/finish/git.js';
import { nextSteps } from '../lib/finish/nextsteps.js';

type Options = Record<string, unknown>;

export default class MetaflowMetadataGenerator extends Generator {
  #target = '';
  #answers: Answers = {};
  #interactive = false;
  /** The target as the user sees it (relative to where they ran), for messages. */
  #shownTarget = '.';
  #plans: FilePlan[] = [];

  constructor(args: string[], options: Options) {
    // The generated repository has no package.json: never run a package manager.
    super(args, options as never, { customInstallTask: true });
    this.argument('directory', {
      type: String,
      required: false,
      description: 'Directory to generate the module repository into (default: the current directory)',
    });
    this.option('answers', { type: String, description: 'JSON or YAML file of answers, keyed by Terraform variable name' });
    this.option('skip-git', { type: Boolean, description: 'Do not create a git repository or commit' });
    this.option('restore', { type: Boolean, description: 'Write again the generated files you deleted (by default they stay deleted)' });
    this.option('commit', { type: Boolean, description: 'Also commit when the directory is inside an existing git repository (by default nothing is staged there)' });
    this.option('interactive', {
      type: Boolean,
      description: 'Ask for missing answers (default: only when stdin is a terminal); --no-interactive never asks',
    });
    for (const input of INPUTS) {
      this.option(flagName(input), {
        type: input.type === 'bool' ? Boolean : String,
        description: `${input.description} [${input.type}]`,
      });
    }
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
    this.#shownTarget = relative(cwd, this.#target) || '.';
    // A dry run asks nothing: it shows what the answers given would do.
    this.#interactive = !this.#option('dry-run') && ((this.#option('interactive') as boolean | undefined) ?? Boolean(process.stdin.isTTY));

    try {
      readBase(this.#target);
    } catch (error) {
      throw new AnswersError([{ field: '(file)', message: error instanceof Error ? error.message : String(error) }]);
    }

    const answersFile = this.#option('answers');
    const { answers: known, errors } = gatherAnswers(
      this.#target,
      typeof answersFile === 'string' ? resolve(cwd, answersFile) : undefined,
      this.options as Record<string, unknown>,
    );

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
      this.#answers = complete(known, 'answers', errors);
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
        if (!refused || round >= 3) break;
        this.log(`${refused.name}: ${checkInput(refused, known[refused.name]!, known)}`);
        for (const name of [refused.name, ...(refused.reaskWith ?? [])]) delete known[name];
      }
    }
  }

  writing(): void {
    const version = packageVersion();
    const files = render(this.#answers, { version });
    // Each file on its own: untouched files are replaced, edited ones merged
    // with the new render (3-way, base = what was written last time), deleted
    // ones stay deleted. No prompt, no --force needed; see src/lib/update.
    const read = (path: string): Buffer | undefined => {
      const full = join(this.#target, path);
      return existsSync(full) ? readFileSync(full) : undefined;
    };
    this.#plans = planUpdate(files, read, readBase(this.#target), buildArtifacts, {
      version,
      force: Boolean(this.#option('force')),
      restore: Boolean(this.#option('restore')),
    });
    const shown = (path: string): string => join(this.#shownTarget, path);
    if (this.#option('dry-run')) {
      const diffs = this.#plans.map(unifiedDiff).filter((diff) => diff !== '');
      process.stdout.write(
        [`Dry run: nothing is written. What a real run would do in ${this.#target}:`, '', ...describePlan(this.#plans, true, shown), '', ...diffs.map((diff) => diff.trimEnd()), '', summarise(this.#plans), ''].join('\n'),
      );
      const conflicted = conflicts(this.#plans);
      if (conflicted.length > 0) throw new MergeConflictError(conflicted, true);
      return;
    }
    applyPlan(this.#target, this.#plans, version, this.#answers);
    for (const line of describePlan(this.#plans, false, shown)) this.log(line);
    this.log(summarise(this.#plans));
  }

  end(): void {
    if (this.#option('dry-run')) return;
    let committed = false;
    if (!this.#option('skip-git')) {
      const result = commitGenerated(this.#target, writtenPaths(this.#plans), packageVersion(), Boolean(this.#option('commit')));
      committed = result.committed;
      this.log(result.message);
    }
    this.log(`\n${nextSteps(this.#target, this.env.cwd, this.#answers, committed)}`);
    const conflicted = conflicts(this.#plans);
    if (conflicted.length > 0) throw new MergeConflictError(conflicted);
  }
}
