// `npm run build`: bundle the bin and the generator with esbuild into
// generators/, so the published package has no runtime dependencies (the
// templates ship beside it, in templates/).
//
//   generators/cli.js        the bin: --help and --version from the catalogue alone, a run from lib/run.ts
//   generators/app/index.js  the Yeoman generator (yo's entry): yeoman-generator and an adapter to lib/run.ts
//   generators/lib/*.js      code they share, and what the bin loads only when it needs it
//                            (the run; inquirer's prompts, at the first question; the AWS room
//                            and each AWS SDK client, at a terminal or with --preflight)
//
// Dependencies are bundled as they are published: nothing is patched or stubbed.
// The licences of everything bundled are collected into
// generators/THIRD-PARTY-LICENSES.txt. Type checking is `npm run typecheck`'s job.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { SDK_DATA_FILE, SDK_PACKAGE } from '../src/lib/inputs/regions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'generators');
const require = createRequire(join(ROOT, 'package.json'));

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const partitions = readFileSync(join(dirname(require.resolve(`${SDK_PACKAGE}/package.json`)), SDK_DATA_FILE), 'utf8');

// AWS SDK packages without an `exports` map (the clients, util-arn-parser): their `module` entry (ES
// modules) lets esbuild keep only what is used, where `main` (CommonJS) brings every command of a
// service, and would make the validators' ARN parser share a chunk of SDK code with --help.
const awsModules: esbuild.Plugin = {
  name: 'aws-sdk-modules',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/[a-z0-9-]+$/ }, (args) => {
      const root = dirname(createRequire(join(args.resolveDir, 'index.js')).resolve(`${args.path}/package.json`));
      const { module, exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { module?: string; exports?: unknown };
      return module && !exports ? { path: join(root, module) } : undefined;
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts', 'app/index': 'src/app/index.ts' },
  outdir: OUT,
  chunkNames: 'lib/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.18',
  minify: true,
  keepNames: true,
  legalComments: 'none', // the licences are collected below
  metafile: true,
  logLevel: 'warning',
  plugins: [awsModules],
  define: { __SDK_PARTITIONS__: JSON.stringify(partitions) },
  // CommonJS dependencies require Node's built-ins.
  banner: { js: "import{createRequire as __mfmdRequire}from'node:module';const require=__mfmdRequire(import.meta.url);" },
});

const outputs = Object.entries(result.metafile.outputs).map(([path, output]) => ({ path: relative(OUT, join(ROOT, path)).split(sep).join('/'), output }));

chmodSync(join(OUT, 'cli.js'), 0o755);
// The bundle is ES modules whatever the package around it says; and yeoman-generator, bundled into
// app/index.js, reads the package.json above its own file when it loads (for its version, in debug output).
writeFileSync(join(OUT, 'package.json'), '{ "type": "module" }\n');

// The packages bundled, their bytes in the output, and their licences.
const packageOf = (input: string): string | undefined => {
  const parts = input.replace(/^[a-z-]+:/, '').split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return undefined;
  const name = parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return `${parts.slice(0, at + 1).join('/')}/${name}`;
};
// What an unattended run of the bin loads: cli.js, the run it imports when it runs, and all they
// import, but not inquirer's prompts, which it imports at the first question, nor the AWS room
// (src/lib/aws and the SDK), which it imports only at a terminal or with --preflight.
const lazy = (input: string): boolean => input.includes('node_modules/@inquirer/') || input.startsWith('src/lib/aws/');
/** Whether a dynamic import loads prompts or the AWS room: itself or what it imports statically. */
const prompts = (path: string, seen = new Set<string>()): boolean => {
  if (seen.has(path)) return false;
  seen.add(path);
  const output = result.metafile.outputs[path];
  return Object.keys(output?.inputs ?? {}).some(lazy) || (output?.imports ?? []).some(({ path: next, kind }) => kind === 'import-statement' && prompts(next, seen));
};
const loaded = new Set<string>();
const visit = (path: string): void => {
  if (loaded.has(path)) return;
  loaded.add(path);
  for (const { path: next, kind } of result.metafile.outputs[path]?.imports ?? []) {
    if (next in result.metafile.outputs && (kind === 'import-statement' || (kind === 'dynamic-import' && !prompts(next)))) visit(next);
  }
};
visit('generators/cli.js');

const bundled = new Map<string, { bytes: number; loaded: number }>();
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const dir = packageOf(input);
    if (!dir) continue;
    const entry = bundled.get(dir) ?? { bytes: 0, loaded: 0 };
    entry.bytes += bytesInOutput;
    if (loaded.has(path)) entry.loaded += bytesInOutput;
    bundled.set(dir, entry);
  }
}
const notices: string[] = [];
const byName = new Map<string, { name: string; bytes: number; loaded: number }>();
for (const [dir, { bytes, loaded: loadedBytes }] of [...bundled].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
  const entry = byName.get(pkg.name) ?? { name: pkg.name, bytes: 0, loaded: 0 };
  entry.bytes += bytes;
  entry.loaded += loadedBytes;
  byName.set(pkg.name, entry);
  const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'license.md', 'LICENCE', 'LICENSE-MIT'].map((name) => resolve(ROOT, dir, name)).find((path) => existsSync(path));
  notices.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'see its package'})\n\n${file ? readFileSync(file, 'utf8').trim() : `License: ${pkg.license ?? 'unknown'}`}\n`);
}
writeFileSync(
  join(OUT, 'THIRD-PARTY-LICENSES.txt'),
  `generators/ bundles these packages; their licences follow.\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`,
);
// For `npm run bench`: what the bundle is made of, and what a run loads of it.
const packages = [...byName.values()].sort((a, b) => b.bytes - a.bytes);
const loadedBytes = [...loaded].reduce((sum, path) => sum + (result.metafile.outputs[path]?.bytes ?? 0), 0);
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
// And the files of the AWS room (src/lib/aws and the SDK, all it loads but what an unattended run loads
// anyway): `npm run bench` checks that --help, --version and unattended runs load none of them.
const awsFiles = new Set<string>();
const visitAws = (path: string): void => {
  if (awsFiles.has(path) || loaded.has(path)) return;
  awsFiles.add(path);
  for (const { path: next } of result.metafile.outputs[path]?.imports ?? []) if (next in result.metafile.outputs) visitAws(next);
};
for (const [path, output] of Object.entries(result.metafile.outputs)) if (Object.keys(output.inputs).some((input) => input.startsWith('src/lib/aws/'))) visitAws(path);
// And, for the tests, the packages bundled into each output file (by its path under generators/).
const outputPackages = Object.fromEntries(
  outputs.map(({ path, output }) => [path, [...new Set(Object.keys(output.inputs).map(packageOf).filter((dir) => dir !== undefined).map((dir) => dir.slice(dir.lastIndexOf('node_modules/') + 13)))].sort()]),
);
writeFileSync(
  join(ROOT, '.tmp', 'build-meta.json'),
  `${JSON.stringify({ loadedBytes, packages, outputs: outputPackages, awsFiles: [...awsFiles].map((path) => relative(OUT, join(ROOT, path)).split(sep).join('/')).sort() }, null, 2)}\n`,
);

const total = outputs.reduce((sum, { output }) => sum + output.bytes, 0);
console.log(`built generators/: ${outputs.length} files, ${(total / 1e6).toFixed(2)} MB, ${packages.length} packages bundled`);
