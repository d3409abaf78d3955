#!/usr/bin/env node
// create-metaflow-metadata: the generator's command line, which owns its run.
// --help and --version are answered from the catalogue alone; a run is
// lib/run.ts's, loaded only then, asking at the terminal with inquirer's
// prompts and printing to stdout (errors to stderr). No Yeoman on this path:
// it works as root, in CI and with no terminal.
import { PROGRAM, failure, helpText, parseCommandLine, wantsColour } from './lib/intake/command.js';
import { packageVersion } from './lib/package.js';

// A prompt that fails can end the process without an error; start as a failure.
process.exitCode = 1;

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
    const [{ run }, { askAtTerminal }] = await Promise.all([import('./lib/run.js'), import('./lib/intake/terminal.js')]);
    await run(
      { cwd: process.cwd(), directory: command.directory, options: command.options, terminal: Boolean(process.stdin.isTTY), colour: wantsColour(process.env, process.stdout.isTTY) },
      { ask: askAtTerminal(), log: (text) => void process.stdout.write(`${text}\n`) },
    );
  }
  process.exitCode = 0;
} catch (error) {
  const { message, exitCode } = failure(error, PROGRAM);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
}
