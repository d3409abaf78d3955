// `yo metaflow-metadata`: a thin adapter from Yeoman to lib/run.ts, the run
// the bin makes too. yo hands over the arguments and its parsed flags, which
// the bin's parser reads (lib/intake/command.ts: the one list of options and
// spellings); questions go through Yeoman's prompt adapter and lines through
// its log; a failure reaches yo with the bin's message and exit status.
import Generator from 'yeoman-generator';
import { commandFromOptions, failure, helpText, wantsColour } from '../lib/intake/command.js';
import { packageVersion } from '../lib/package.js';
import { run } from '../lib/run.js';

/** A failed run as yo reports it: the bin's message, and the bin's exit status as `code` (yo exits with it). */
class RunFailed extends Error {
  constructor(
    message: string,
    readonly code: number,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = cause instanceof Error ? cause.name : 'RunFailed';
  }
}

export default class MetaflowMetadataGenerator extends Generator {
  constructor(args: string[], options: Record<string, unknown>) {
    // No options declared to Yeoman (the command line's are lib/intake/command.ts's), no
    // package manager (the generated repository has no package.json), and only `default` is a task.
    super(args, options as never, { customInstallTask: true, disableInGeneratorOptionsSupport: true, tasksMatchingPriority: true });
    // The run prints its lines through Yeoman's log. This log has no `error`: Yeoman logs a failed
    // task there first ("An error occured while running ..."); the failure reaches the user once, from yo.
    const print = this.env.adapter.log;
    (this as { log: unknown }).log = (text: string) => print(text);
  }

  /** The command as typed: `yo metaflow-metadata`. */
  get #program(): string {
    return `yo ${this._namespace.replace(/:app$/, '')}`;
  }

  /** `yo metaflow-metadata --help`: the bin's help. */
  override help(): string {
    return helpText(`${this.#program} [directory] [options]`, process.stdout.columns ?? 100);
  }

  /** The whole run, one task: lib/run.ts gathers, asks, plans, writes and finishes. */
  async default(): Promise<void> {
    try {
      const command = commandFromOptions(this._args, this.options as Record<string, unknown>, (this.env as { sharedOptions?: Record<string, unknown> }).sharedOptions);
      if (command.help) process.stdout.write(this.help());
      else if (command.version) process.stdout.write(`${packageVersion()}\n`);
      else {
        await run(
          { cwd: this.env.cwd, directory: command.directory, options: command.options, terminal: Boolean(process.stdin.isTTY), colour: wantsColour(process.env, process.stdout.isTTY) },
          { ask: (questions) => this.prompt(questions as never), log: (text) => this.log(text) },
        );
      }
    } catch (error) {
      const { message, exitCode } = failure(error, this.#program);
      throw new RunFailed(message, exitCode, error);
    }
  }
}
