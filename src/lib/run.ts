// One run of the generator, from a parsed command line to a finished
// repository: gather the answers, ask for what is missing, plan, write, finish
// (the first commit, next steps). Both routes call it: the bin (src/cli.ts)
// asks with inquirer's prompts and prints to stdout; the Yeoman generator
// (src/app/index.ts) asks and prints through Yeoman's adapter. How to ask and
// how to print are its arguments; no Yeoman here. A failure is thrown (the
// errors of the rooms, each saying what to do); the caller reports it.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { GROUPS, INPUTS, INPUT_BY_NAME, isRequired, type Answers } from './inputs/catalogue.js';
import { AnswersError, AnswersFileError, checkInput, complete, fallback, isAsked, notes, parseAnswersFile, setAside, storable, type FieldNote } from './intake/answers.js';
import { isCancel } from './intake/command.js';
import { readDraft, removeDraft, saveDraft, type Draft } from './intake/draft.js';
import { ANSWERS_TFVARS, driftNote } from './intake/drift.js';
import { questionsFor, summary, summaryValue, typedAnswer, type Question } from './intake/prompts.js';
import { gatherAnswers } from './intake/store.js';
import { UncommittedError, commitGenerated, uncommitted } from './finish/git.js';
import { nextSteps } from './finish/nextsteps.js';
import { packageVersion } from './package.js';
import { render } from './render/render.js';
import { MergeConflictError, conflicts, describePlan, describeRecords, dryRunReport, summarise } from './update/report.js';
import { carryOut, hasChanges, planRun, prepareTarget, writtenPaths, type Run } from './update/update.js';
import type { Discovery } from './aws/discovery.js';

/** What a run asks and prints through: the caller's terminal. */
export interface Terminal {
  /** Ask these questions in order (each has a `when`, a default from the answers so far, validate, filter); resolves with the answers by name. */
  ask(questions: readonly Question[]): Promise<Record<string, unknown>>;
  /** Print a line of the run's output (several, when it holds newlines). */
  log(text: string): void;
}

export interface Invocation {
  /** Where the command was run: the directory argument is relative to it. */
  cwd: string;
  directory?: string;
  /** The options by name (`skip-git`, `resource-suffix`): parseCommandLine's. */
  options: Readonly<Record<string, string | boolean>>;
  /** Whether stdin is a terminal (the default of --interactive, and the hint when answers are missing). */
  terminal: boolean;
  /** Whether the file labels get colour. */
  colour: boolean;
}

/** One run: resolves when the repository is written (or the dry run shown); rejects with what stopped it. */
export async function run(invocation: Invocation, terminal: Terminal): Promise<void> {
  const { cwd, options } = invocation;
  const flag = (name: string): boolean => options[name] === true;
  const target = resolve(cwd, invocation.directory || '.');
  const shownTarget = relative(cwd, target) || '.';
  const shown = (path: string): string => join(shownTarget, path);
  const dryRun = flag('dry-run');
  // A dry run asks nothing: it shows what the answers given would do.
  const interactive = !dryRun && (typeof options.interactive === 'boolean' ? options.interactive : invocation.terminal);
  const version = packageVersion();
  const noted = new Set<string>();
  /** Print the cautions (the catalogue's `warn`) not printed yet. */
  const note = (found: readonly FieldNote[]): void => {
    for (const { field, message } of found) {
      const line = `Note: ${field}: ${message}.`;
      if (noted.has(line)) continue;
      noted.add(line);
      terminal.log(line);
    }
  };

  // --preflight: the answers checked against the AWS account, read-only; nothing is written (src/lib/aws, loaded only then).
  if (flag('preflight')) {
    const { runPreflight } = await import('./aws/session.js');
    return runPreflight(gather(invocation, target, false, terminal).answers, { options, terminal, interactive: invocation.terminal && options.interactive !== false });
  }
  // At a terminal, the questions offer what the AWS account holds, when credentials resolve (src/lib/aws, loaded only then).
  const discovery: Discovery | undefined = interactive ? (await import('./aws/discovery.js')).startDiscovery({ options, terminal, interactive }) : undefined;

  // Another run at work, an interrupted one to finish, records that cannot be trusted: before anything is asked.
  for (const line of await prepareTarget(target, { dryRun, version, force: flag('force') })) terminal.log(line);

  // At a terminal, answers a cancelled run kept for this directory: offered before anything is asked.
  let draft = interactive ? readDraft(target) : undefined;
  if (draft) {
    const count = Object.keys(draft.answers).length;
    terminal.log(`A draft of ${count === 1 ? '1 answer' : `${count} answers`} for ${shownTarget} is kept from a run that stopped before writing (${draft.saved.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}).`);
    const { resume } = await terminal.ask([{ type: 'confirm', name: 'resume', message: 'Resume it?', default: true, when: () => true }]);
    if (resume !== true) {
      removeDraft(target);
      terminal.log('Draft discarded.');
      draft = undefined;
    }
  }
  const { answers: gathered, given } = gather(invocation, target, interactive, terminal, draft);
  let answers: Answers;
  if (interactive) {
    // Everything known so far (given, then typed); kept as a draft if the run is cancelled before it writes.
    const known = gathered;
    const asking = discovery ? discovery.follow(known, terminal) : terminal;
    try {
      answers = await ask(known, asking, flag('ask-answered'), note);
      note(setAside(given, answers));
      note(notes(answers)); // cautions about answers no group printed (those an answers file gave, say)
      answers = await review(answers, known, target, asking, note);
    } catch (error) {
      if (!isCancel(error)) throw error;
      const kept = storable(Object.fromEntries(Object.entries(known).filter(([name, value]) => INPUT_BY_NAME.has(name) && value !== undefined)) as Answers);
      throw new CancelledError(Object.keys(kept).length > 0 ? { path: saveDraft(target, kept, version), count: Object.keys(kept).length, target: shownTarget } : undefined, error);
    }
  } else {
    answers = gathered;
    note(setAside(given, answers));
    note(notes(answers));
  }

  // Each file on its own: untouched files are replaced, edited ones merged with
  // the new render (3-way, base = what was written last time), deleted ones stay
  // deleted. No prompt, no --force needed; see lib/update.
  const files = render(answers, { version });
  const run = planRun({ target, rendered: files, answers: storable(answers), version, force: flag('force'), restore: flag('restore') });
  if (run.recorded.kind === 'none' && existsSync(target)) {
    // Terraform reads every .tf file of a directory: say so when ours join someone else's.
    const foreign = readdirSync(target).filter((name) => name.endsWith('.tf') && !files.has(name));
    if (foreign.length > 0) terminal.log(`Note: Terraform reads every .tf file of ${shownTarget} as part of this module, including ones that were there before: ${foreign.join(', ')}.`);
  }
  const tfvars = run.plans.find((plan) => plan.path === ANSWERS_TFVARS);
  const drift = driftNote(tfvars?.after?.toString('utf8'), files.get(ANSWERS_TFVARS) as string | undefined);
  const conflicted = conflicts(run.plans);
  if (dryRun) {
    terminal.log(`${dryRunReport(run, shown)}${drift ? `${drift}\n` : ''}`.replace(/\n$/, ''));
    if (conflicted.length > 0) throw new MergeConflictError(conflicted, true);
    return;
  }
  if (flag('force')) await confirmForce(run, target, interactive, terminal);
  for (const line of run.notes) terminal.log(`Note: ${line}`);
  const wrote = hasChanges(run);
  if (wrote) await carryOut(run);
  // A draft this run resumed is written now; one it declined is gone already. An unattended run read
  // no draft, so one kept for this directory stays to be offered at the next run at a terminal.
  if (interactive) removeDraft(target);
  for (const line of describePlan(run.plans, false, shown, invocation.colour)) terminal.log(line);
  if (wrote) for (const line of describeRecords(run.records, shown, run.leftovers)) terminal.log(line);
  if (drift) terminal.log(drift);
  terminal.log(summarise(run));

  // A run with nothing to do neither commits nor suggests next steps.
  if (wrote) {
    let committed = false;
    if (!flag('skip-git')) {
      const result = commitGenerated(target, writtenPaths(run), version, flag('commit'), conflicted);
      committed = result.committed;
      terminal.log(result.message);
    }
    // With conflicts, what to resolve comes first, then the next steps (in the error, after the list).
    if (conflicted.length > 0) throw new MergeConflictError(conflicted, false, nextSteps(target, cwd, answers, committed));
    terminal.log(`\n${nextSteps(target, cwd, answers, committed)}`);
    await discovery?.offerPreflight(answers);
  }
  await discovery?.close();
  if (conflicted.length > 0) throw new MergeConflictError(conflicted);
}

/**
 * The answers from .yo-rc.json, the answers file and the flags. Unattended:
 * complete and valid, or every missing and invalid field reported at once. At
 * a terminal: what is known and valid, the rest left to ask.
 */
function gather({ cwd, options, terminal: atTerminal }: Invocation, target: string, interactive: boolean, terminal: Terminal, draft?: Draft): { answers: Answers; given: Answers } {
  const answersFile = typeof options.answers === 'string' ? options.answers : undefined;
  // A file that cannot be read or parsed is the one thing to report: where, and why.
  if (answersFile !== undefined) {
    const parsed = parseAnswersFile(resolve(cwd, answersFile), answersFile);
    if ('problem' in parsed) throw new AnswersFileError(parsed.problem);
  }
  const { answers: known, errors } = gatherAnswers(target, answersFile === undefined ? undefined : resolve(cwd, answersFile), options, draft?.answers);
  for (const { field, message } of draft?.errors ?? []) terminal.log(`${field}: ${message} (in the draft); asking again.`);
  // Likewise an unreadable .yo-rc.json: its error alone, not every answer it would have held.
  const unreadable = errors.filter((e) => e.field === '(file)');
  if (unreadable.length > 0) throw new AnswersError(unreadable);

  if (!interactive) {
    try {
      return { answers: complete(known, 'answers', errors), given: known };
    } catch (error) {
      if (error instanceof AnswersError && error.errors.some((e) => e.message.startsWith('is required'))) {
        const hint = options['dry-run'] === true
          ? 'Answers are missing, and a dry run asks nothing: give them with --answers <file> or flags (--help lists them), or leave out --dry-run to be asked.'
          : atTerminal
          ? 'Answers are missing and --no-interactive says not to ask: give them with --answers <file> or flags, or leave out --no-interactive to be asked.'
          : 'Answers are missing and there is no terminal to ask in: give them with --answers <file> (JSON or YAML, keyed by the names below) or flags (--help lists them), or run in a terminal to be asked.';
        error.message = `${hint}\n${error.message}`;
      }
      throw error;
    }
  }
  if (errors.length > 0) throw new AnswersError(errors);
  // At a terminal, a value that fails validation is asked again instead.
  for (const [name, value] of Object.entries(known)) {
    const input = INPUT_BY_NAME.get(name);
    const problem = input && checkInput(input, value, known);
    if (problem) {
      terminal.log(`${name}: ${problem}; asking again.`);
      delete known[name];
    }
  }
  // An answers file stands for the answers it leaves out: they keep their
  // defaults, and only missing required inputs are asked (--ask-answered asks all).
  if (answersFile !== undefined && options['ask-answered'] !== true) {
    for (const input of INPUTS) {
      if (input.name in known || isRequired(input)) continue;
      const value = fallback(input, known);
      if (value !== undefined) known[input.name] = value;
    }
  }
  return { answers: known, given: { ...known } }; // `known` is asked into: `given` stays what was given
}

/** Ask for every answer `known` lacks, then check the whole set, asking again for what no longer fits. */
async function ask(known: Answers, terminal: Terminal, askAnswered: boolean, note: (found: readonly FieldNote[]) => void): Promise<Answers> {
  await askGroups(known, terminal, askAnswered, note);
  // Prompts validate one field at a time against what was known then, and
  // Yeoman's mocked prompts not at all: check the whole set, and ask again for
  // any field that no longer fits (say, a region outside the partition chosen later).
  for (let round = 1; ; round++) {
    try {
      return complete(known);
    } catch (error) {
      if (!(error instanceof AnswersError) || round >= 3) throw error;
      for (const { field, message } of error.errors) {
        terminal.log(`${field}: ${message}`);
        for (const name of [field, ...(INPUT_BY_NAME.get(field)?.reaskWith ?? [])]) delete known[name];
      }
      await askGroups(known, terminal, false, note);
    }
  }
}

/** Ask, group by group, for every input `known` lacks (or all, with askAnswered). */
async function askGroups(known: Answers, terminal: Terminal, askAnswered: boolean, note: (found: readonly FieldNote[]) => void): Promise<void> {
  for (const group of GROUPS) await askGroup(group, known, terminal, askAnswered, note);
}

/** Ask one group's inputs that `known` lacks (or all, with askAnswered; or only those named in `only`). */
async function askGroup(group: (typeof GROUPS)[number], known: Answers, terminal: Terminal, askAnswered: boolean, note: (found: readonly FieldNote[]) => void, only?: readonly string[]): Promise<void> {
  for (let round = 1; ; round++) {
    const questions = questionsFor(group.id, known, askAnswered && round === 1).filter((question) => !only || round > 1 || only.includes(question.name));
    if (!questions.some((question) => question.when(known))) break;
    terminal.log(`\n${group.title}`);
    // One question at a time, each answer kept in `known` at once: a run cancelled half-way
    // through a group keeps (in its draft) the answers typed before, and each question's
    // `when`, default and check see them.
    for (const question of questions) {
      if (!question.when({})) continue;
      const session = await terminal.ask([question]);
      for (const [name, raw] of Object.entries(session)) {
        const input = INPUT_BY_NAME.get(name);
        if (!input) continue;
        const parsed = typedAnswer(input, raw);
        if (!parsed.ok) throw new AnswersError([{ field: name, message: parsed.message }]);
        known[name] = parsed.value;
      }
    }
    // A refusal about a combination of this group's answers (say, an open
    // API declined) is settled here, by asking those answers again at once.
    const refused = INPUTS.filter((input) => input.group === group.id && input.reaskWith && input.name in known).find((input) => checkInput(input, known[input.name]!, known));
    if (!refused || round >= 3) {
      note(notes(known, INPUTS.filter((input) => input.group === group.id)));
      break;
    }
    terminal.log(`${refused.name}: ${checkInput(refused, known[refused.name]!, known)}`);
    for (const name of [refused.name, ...(refused.reaskWith ?? [])]) delete known[name];
  }
}

/** A run cancelled at a prompt, before writing; the answers given so far kept as a draft (where, and how many), when there were any. */
export class CancelledError extends Error {
  constructor(
    readonly draft: { path: string; count: number; target: string } | undefined,
    cause?: unknown,
  ) {
    super(
      draft
        ? `cancelled; nothing was written. Your ${draft.count === 1 ? 'answer is' : `${draft.count} answers are`} kept as a draft (${draft.path}): the next run into ${draft.target} at a terminal offers to resume ${draft.count === 1 ? 'it' : 'them'}.`
        : 'cancelled; nothing was written',
      { cause },
    );
    this.name = 'CancelledError';
  }
}

/**
 * The summary, until the answers are accepted: No offers to change one group's
 * answers or one answer (then the summary again), or to quit keeping them as a
 * draft. `known` is what was given and typed: changes go there, so a draft holds them.
 */
async function review(answers: Answers, known: Answers, target: string, terminal: Terminal, note: (found: readonly FieldNote[]) => void): Promise<Answers> {
  for (;;) {
    terminal.log(`\n${summary(answers)}`);
    const { proceed } = await terminal.ask([{ type: 'confirm', name: 'proceed', message: `Write the module to ${target}?`, default: true, when: () => true }]);
    if (proceed === true) return answers;
    const groups = GROUPS.filter((group) => INPUTS.some((input) => input.group === group.id && isAsked(input, answers)));
    const { next } = await terminal.ask([
      {
        type: 'select',
        name: 'next',
        message: 'What now?',
        choices: [
          { name: "Change one group's answers", value: 'group' },
          { name: 'Change one answer', value: 'answer' },
          { name: 'Quit without writing (the answers are kept as a draft for the next run)', value: 'quit' },
        ],
        when: () => true,
      },
    ]);
    if (next === 'quit') throw Object.assign(new Error('quit at the summary'), { name: 'AbortPromptError' });
    // What is asked again starts from the answers that apply now; what a change makes
    // relevant again (the access list, when API Gateway is turned back on) is asked, not assumed.
    for (const name of Object.keys(known)) delete known[name];
    Object.assign(known, storable(answers));
    if (next === 'group') {
      const { group } = await terminal.ask([{ type: 'select', name: 'group', message: 'Which group?', choices: groups.map((g) => ({ name: g.title, value: g.id })), when: () => true }]);
      await askGroup(GROUPS.find((g) => g.id === group)!, known, terminal, true, note);
    } else {
      const inputs = INPUTS.filter((input) => isAsked(input, answers));
      const { field } = await terminal.ask([
        {
          type: 'select',
          name: 'field',
          message: 'Which answer?',
          choices: inputs.map((input) => ({ name: `${input.name}  (${summaryValue(input, answers[input.name])})`, value: input.name })),
          when: () => true,
        },
      ]);
      const input = INPUT_BY_NAME.get(String(field))!;
      await askGroup(GROUPS.find((g) => g.id === input.group)!, known, terminal, true, note, [input.name]);
    }
    answers = await ask(known, terminal, false, note);
  }
}

/** --force inside a git work tree: never replace uncommitted work without an explicit yes. */
async function confirmForce(run: Run, target: string, interactive: boolean, terminal: Terminal): Promise<void> {
  const replaced = run.plans.filter((plan) => plan.action === 'overwritten').map((plan) => plan.path);
  const dirty = uncommitted(target, replaced) ?? [];
  if (dirty.length === 0) return;
  if (interactive) {
    terminal.log(`--force would replace uncommitted changes (git cannot bring them back):\n${dirty.map((path) => `  - ${path}`).join('\n')}`);
    const { replace } = await terminal.ask([{ type: 'confirm', name: 'replace', message: 'Replace them with the new render?', default: false, when: () => true }]);
    if (replace === true) return;
  }
  throw new UncommittedError(dirty);
}
