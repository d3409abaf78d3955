// The bin's run at a terminal, driven key by key: lib/run.ts with the bin's own
// prompts (inquirer's, through src/lib/intake/terminal.ts) reading keystrokes
// from a stream and drawing to another, as they do at a real terminal. Each
// test waits for what the prompt shows before it types, like a person would.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { complete } from '../src/lib/intake/answers.js';
import { draftDirectory, readDraft, saveDraft } from '../src/lib/intake/draft.js';
import { askAtTerminal } from '../src/lib/intake/terminal.js';
import { run } from '../src/lib/run.js';
import { DEMO_FILE, demoAnswers, parseHcl, tempDir } from './helpers.js';

const ENTER = '\r';
const DOWN = '\x1b[B';
const BACKSPACE = '\x7f';
const CTRL_C = '\x03';
const plain = (text: string): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A person at a terminal: what the run shows (prompts and printed lines, in order) and a keyboard. */
class Person {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  /** Everything shown so far, without terminal control codes. */
  screen = '';
  /** The printed lines and the final form of each answered prompt, in order: what a transcript keeps. */
  readonly transcript: string[] = [];
  #seen = 0;

  constructor() {
    // A terminal stays open between prompts: each prompt ends its own stream, never the screen.
    this.output.end = (() => this.output) as typeof this.output.end;
    this.output.on('data', (chunk: Buffer) => {
      const text = plain(chunk.toString('utf8'));
      this.screen += text;
      for (const line of text.split('\n')) if (line.includes('✔ ')) this.transcript.push(line.slice(line.lastIndexOf('✔ ')).trimEnd());
    });
  }

  log = (text: string): void => {
    this.screen += `${text}\n`;
    this.transcript.push(...text.split('\n'));
  };

  /** Wait until the screen, past what earlier waits consumed, shows `pattern`. */
  async sees(pattern: string | RegExp, timeout = 10_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const rest = this.screen.slice(this.#seen);
      const found = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (found !== -1) {
        this.#seen += found + 1;
        return;
      }
      if (Date.now() > deadline) throw new Error(`never saw ${String(pattern)}; the screen ends with:\n${this.screen.slice(-1500)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Type keys one at a time, as a person does. */
  async types(keys: string): Promise<void> {
    for (const key of keys.match(/\x1b\[[A-D]|[\s\S]/g) ?? []) {
      // A person's pace: a list that filters as one types settles before Enter.
      await new Promise((resolve) => setTimeout(resolve, key === ENTER ? 60 : 5));
      this.input.write(key);
    }
  }
}

/** The bin's run into `target` at this person's terminal (the bin: lib/run.ts and askAtTerminal). */
function runAt(person: Person, cwd: string, target: string, options: Record<string, string | boolean> = {}): Promise<void> {
  return run(
    { cwd, directory: target, options: { 'skip-git': true, interactive: true, ...options }, terminal: true, colour: false },
    { ask: askAtTerminal({ input: person.input, output: person.output }), log: person.log },
  );
}

const stored = (dir: string) => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'].answers as Record<string, unknown>;

// Drafts of these runs go here, not to the user's state directory (this file runs in a process of its own).
process.env.XDG_STATE_HOME = tempDir('state-');

describe('at the terminal', () => {
  it('a typed number at a pick-list chooses that value or is refused, never the item at that position; API Gateway is asked first and No skips what it makes moot', async () => {
    const cwd = tempDir('prompt-');
    const target = join(cwd, 'mymod');
    // A resumed draft holds every answer but these: they are what this run asks.
    const draft = complete(demoAnswers());
    for (const name of ['metadata_service_cpu', 'metadata_service_memory', 'log_retention_days', 'enable_api_gateway', 'access_list_cidr_blocks', 'api_basic_auth', 'allow_open_api', 'enable_api_gateway_logging', 'enable_api_gateway_tracing', 'api_throttle_rate_limit', 'api_throttle_burst_limit', 'api_quota_limit', 'api_quota_period']) delete draft[name];
    saveDraft(target, draft, '0.0.0');
    const person = new Person();
    const done = runAt(person, cwd, 'mymod');
    await person.sees('Resume it?');
    await person.types(ENTER);
    await person.sees('Task CPU units');
    await person.types(`2048${ENTER}`); // a select prompt took the 2 as "the second item": 512
    await person.sees('Task memory');
    await person.types(`8192${ENTER}`);
    await person.sees('Days to keep logs');
    await person.types(`20${ENTER}`); // 20 is no retention CloudWatch offers: refused, and the prompt stays
    await person.sees('log_retention_days: "20" is not one of');
    await person.types(`${BACKSPACE}${BACKSPACE}400${ENTER}`);
    await person.sees('Access and authentication');
    await person.sees('Publish the API through API Gateway?');
    await person.types(`n${ENTER}`);
    await person.sees('Write the module to');
    await person.types(ENTER);
    await done;

    // Asked: the API Gateway question alone in its group, before anything it makes moot.
    const access = person.transcript.slice(person.transcript.indexOf('Access and authentication'));
    assert.match(access[1] ?? '', /^✔ Publish the API through API Gateway\? .*No$/);
    assert.doesNotMatch(person.screen, /CIDR blocks allowed to call|Require an API key|Write API Gateway access|API throttle|Quota of requests/);
    const answers = stored(target);
    assert.equal(answers.metadata_service_cpu, 2048);
    assert.equal(answers.log_retention_days, 400);
    assert.equal(answers.enable_api_gateway, false);
    for (const moot of ['access_list_cidr_blocks', 'api_basic_auth', 'enable_api_gateway_logging', 'api_throttle_rate_limit', 'api_quota_limit', 'api_quota_period', 'allow_open_api']) {
      assert.ok(!(moot in answers), `${moot} is moot without API Gateway: not stored`);
    }
    // The module still gets every variable it requires; the summary and next steps mention no access list.
    const tfvars = await parseHcl('terraform.tfvars', readFileSync(join(target, 'examples/complete/terraform.tfvars'), 'utf8'));
    assert.deepEqual(tfvars.access_list_cidr_blocks, []);
    const summary = person.screen.slice(person.screen.lastIndexOf('Summary'));
    assert.doesNotMatch(summary, /access_list_cidr_blocks|api_basic_auth/);
    assert.doesNotMatch(person.screen.slice(person.screen.lastIndexOf('Next steps')), /access list|API key/);
    assert.equal(readDraft(target), undefined, 'the draft is gone once its answers are written');
  });

  it('No at the summary: change one answer or one group, see the summary again, then write; nothing is lost', async () => {
    const cwd = tempDir('prompt-');
    const target = join(cwd, 'mymod');
    saveDraft(target, complete(demoAnswers()), '0.0.0');
    const person = new Person();
    const done = runAt(person, cwd, 'mymod');
    await person.sees('Resume it?');
    await person.types(ENTER);
    await person.sees('Write the module to');
    await person.types(`n${ENTER}`);
    await person.sees('What now?');
    await person.types(`${DOWN}${ENTER}`); // Change one answer
    await person.sees('Which answer?');
    await person.types(`resource_s${ENTER}`); // a select jumps to the item its name starts with
    await person.sees('Name suffix');
    await person.types(`${BACKSPACE.repeat(3)}prod${ENTER}`);
    await person.sees(/resource_suffix\s+prod/);
    await person.sees('Write the module to');
    await person.types(`n${ENTER}`);
    await person.sees('What now?');
    await person.types(ENTER); // Change one group's answers
    await person.sees('Which group?');
    await person.types(`Tags${ENTER}`);
    await person.sees('Tags for every resource');
    await person.types(`${BACKSPACE.repeat(60)}team=ml${ENTER}`);
    await person.sees(/standard_tags\s+team=ml/);
    await person.sees('Write the module to');
    await person.types(ENTER);
    await done;
    const answers = stored(target);
    assert.equal(answers.resource_suffix, 'prod');
    assert.deepEqual(answers.standard_tags, { team: 'ml' });
    assert.equal(answers.metadata_service_cpu, 512, 'every other answer kept');
    assert.equal((person.screen.match(/^Summary$/gm) ?? []).length, 3, 'the summary again after each change');
  });

  it('Ctrl-C keeps the answers typed so far as a draft, outside the target; the next run offers it, and resumes or discards it', async () => {
    const cwd = tempDir('prompt-');
    const target = join(cwd, 'mymod');
    const first = new Person();
    const cancelled = runAt(first, cwd, 'mymod');
    await first.sees('AWS region to deploy into');
    await first.types(`us-east-1${ENTER}`);
    await first.sees('AWS partition');
    await first.types(ENTER);
    await first.sees('Name prefix');
    await first.types(`team${ENTER}`);
    await first.sees('Name suffix');
    await first.types(CTRL_C);
    const error = await cancelled.then(
      () => assert.fail('the run went on'),
      (reason: unknown) => reason as Error & { draft?: { path: string; count: number } },
    );
    assert.equal(error.name, 'CancelledError');
    assert.match(error.message, /nothing was written\. Your 3 answers are kept as a draft \(.*\): the next run into mymod at a terminal offers to resume them/);
    assert.ok(!existsSync(target) || readdirSync(target).length === 0, 'nothing in the target');
    assert.ok(error.draft?.path.startsWith(draftDirectory()), 'the draft is kept in the state directory');
    assert.deepEqual(readDraft(target)?.answers, { aws_region: 'us-east-1', iam_partition: 'aws', resource_prefix: 'team' });

    // Resumed: the first question asked is the one Ctrl-C interrupted.
    const second = new Person();
    const resumed = runAt(second, cwd, 'mymod');
    await second.sees(/A draft of 3 answers for mymod is kept from a run that stopped before writing \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
    await second.sees('Resume it?');
    await second.types(ENTER);
    await second.sees(/Name suffix|VPC id/);
    assert.doesNotMatch(second.screen, /AWS region to deploy into/);
    assert.match(second.screen, /Name suffix/);
    await second.types(CTRL_C);
    await assert.rejects(resumed, { name: 'CancelledError' });

    // Declined: discarded, and the questions start from the beginning.
    const third = new Person();
    const fresh = runAt(third, cwd, 'mymod');
    await third.sees('Resume it?');
    await third.types(`n${ENTER}`);
    await third.sees('Draft discarded.');
    await third.sees('AWS region to deploy into');
    await third.types(CTRL_C);
    await assert.rejects(fresh, { name: 'CancelledError', message: /cancelled; nothing was written$/ });
    assert.equal(readDraft(target), undefined, 'declined, and nothing typed since: no draft');
  });

  it('--dry-run at a terminal with answers missing says a dry run asks nothing (not --no-interactive, never passed), and writes nothing', async () => {
    const cwd = tempDir('prompt-');
    const person = new Person();
    // As the bin runs it at a terminal: `create-metaflow-metadata mymod --dry-run`.
    const dryRun = run({ cwd, directory: 'mymod', options: { 'dry-run': true }, terminal: true, colour: false }, { ask: askAtTerminal({ input: person.input, output: person.output }), log: person.log });
    await assert.rejects(dryRun, (error: Error) => {
      assert.equal(error.name, 'AnswersError');
      assert.match(error.message, /^Answers are missing, and a dry run asks nothing: give them with --answers <file> or flags \(--help lists them\), or leave out --dry-run to be asked\./);
      assert.doesNotMatch(error.message, /--no-interactive/);
      return true;
    });
    assert.equal(person.screen, '', 'nothing asked');
    assert.ok(!existsSync(join(cwd, 'mymod')));
  });

  it('an unattended run into a directory with a draft writes its answers and leaves the draft, unread, for the next run at a terminal', async () => {
    const cwd = tempDir('prompt-');
    const target = join(cwd, 'mymod');
    saveDraft(target, { aws_region: 'us-east-2' }, '0.0.0');
    const person = new Person();
    await run({ cwd, directory: 'mymod', options: { 'skip-git': true, answers: DEMO_FILE }, terminal: false, colour: false }, { ask: askAtTerminal({ input: person.input, output: person.output }), log: person.log });
    assert.equal(stored(target).aws_region, 'us-east-1', 'the answers file, not the draft');
    assert.deepEqual(readDraft(target)?.answers, { aws_region: 'us-east-2' }, 'the typed answers are not lost');
  });
});
