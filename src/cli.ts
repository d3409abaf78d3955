#!/usr/bin/env node
// create-metaflow-metadata: the generator's command line. --help and --version
// are answered from the catalogue alone; only a run loads Yeoman's environment
// (./app/run.js), which then works without `yo`, as root and with no terminal (CI).
import { PROGRAM, UsageError, helpText, parseCommandLine, wantsColour } from './lib/intake/command.js';
import { packageVersion } from './lib/package.js';

// A prompt that fails can end the process without an error; start as a failure.
process.exitCode = 1;

/**
 * Colour only for a terminal, unless FORCE_COLOR says otherwise; never with
 * NO_COLOR (https://no-color.org). Yeoman's logger and diffs follow FORCE_COLOR.
 */
function settleColour(env: NodeJS.ProcessEnv): void {
  if (!wantsColour(env, process.stdout.isTTY)) env.FORCE_COLOR = '0';
}

/** The message for an error that ended the run: causes the user can act on as they are, anything else named as ours. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return `${PROGRAM}: ${String(error)}`;
  switch (error.name) {
    case 'AnswersError':
    case 'AnswersFileError':
    case 'MergeConflictError':
    case 'RecordError':
    case 'InterruptedError':
    case 'UncommittedError':
      return error.message;
    case 'UsageError':
      return `${PROGRAM}: ${error.message}\nRun ${PROGRAM} --help for the options.`;
    case 'ExitPromptError':
    case 'AbortPromptError':
      return `${PROGRAM}: cancelled; nothing was written`;
    default:
      return `${PROGRAM}: ${process.env.DEBUG ? (error.stack ?? error.message) : error.message}`;
  }
}

// A reader that stops early (`| head`) is not an error of ours: the run goes on, unheard.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

try {
  const command = parseCommandLine(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(helpText(`${PROGRAM} [directory] [options]`, process.stdout.columns ?? 100));
  } else if (command.version) {
    process.stdout.write(`${packageVersion()}\n`);
  } else {
    settleColour(process.env);
    const { generate } = await import('./app/run.js');
    await generate(command.directory, command.options);
  }
  process.exitCode = 0;
} catch (error) {
  process.stderr.write(`${describe(error)}\n`);
  process.exitCode = error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError') ? 130 : error instanceof UsageError ? 2 : 1;
}
