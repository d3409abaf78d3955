#!/usr/bin/env node
// create-metaflow-metadata: runs the generator through yeoman-environment, so it
// works without `yo`, as root and with no terminal (CI).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareCommand } from 'yeoman-environment';
import { AnswersError } from './lib/intake/answers.js';
import { packageVersion } from './lib/render/render.js';

// A prompt that fails can end the process without an error; start as a failure.
process.exitCode = 1;

const generator = join(dirname(fileURLToPath(import.meta.url)), 'app', 'index.js');

try {
  const command = await prepareCommand({ resolved: generator, namespace: 'metaflow-metadata:app' });
  command
    .name('create-metaflow-metadata')
    .description('Generate a Terraform module repository for the Metaflow Metadata Service on AWS Fargate')
    .version(packageVersion());
  await command.parseAsync(process.argv);
  process.exitCode = 0;
} catch (error) {
  if (error instanceof AnswersError || (error instanceof Error && error.name === 'MergeConflictError')) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`create-metaflow-metadata: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
}
