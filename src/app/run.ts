// What the bin loads to generate, and only then: Yeoman's environment with the
// generator registered as a class (no lookup, no package manager), and a
// terminal adapter that writes to stdout: the log of written files is output,
// errors are the bin's to print on stderr.
import { fileURLToPath } from 'node:url';
import { QueuedAdapter } from '@yeoman/adapter';
import { EnvironmentBase } from 'yeoman-environment';
import MetaflowMetadataGenerator from './index.js';
import { camel } from '../lib/intake/command.js';

const NAMESPACE = 'metaflow-metadata:app';

/** Run the generator with the bin's parsed command line; rejects with the generator's error. */
export async function generate(directory: string | undefined, options: Readonly<Record<string, string | boolean>>): Promise<void> {
  const adapter = new QueuedAdapter({ stdout: process.stdout });
  const env = new EnvironmentBase({ adapter });
  env.register(MetaflowMetadataGenerator, {
    namespace: NAMESPACE,
    // The file Yeoman would have loaded: it names the generator in messages and roots its (unused) templates path.
    resolved: fileURLToPath(new URL('./index.js', import.meta.url)),
    packagePath: fileURLToPath(new URL('../..', import.meta.url)),
  } as never);
  // Both spellings: the generator reads either, Yeoman's conflicter reads `force` and `dryRun`.
  const generatorOptions: Record<string, unknown> = { skipInstall: true };
  for (const [name, value] of Object.entries(options)) {
    generatorOptions[name] = value;
    generatorOptions[camel(name)] = value;
  }
  const generator = await env.create(NAMESPACE, { generatorArgs: directory === undefined ? [] : [directory], generatorOptions } as never);
  await env.runGenerator(generator);
}
