// `npm run build`: bundle the bin and the generator with esbuild into
// generators/, so the published package has no runtime dependencies (the
// templates ship beside it, in templates/).
//
//   generators/cli.js        the bin: --help and --version from the catalogue alone
//   generators/app/index.js  the Yeoman generator (yo's entry), yeoman-generator inside
//   generators/app/run.js    what the bin loads to generate: yeoman-environment and the generator
//   generators/lib/*.js      code the three share
//
// Parts of Yeoman a run never uses are left out (installing generators and
// packages with npm's libraries, spawning package managers): each is replaced by
// a stub that throws if it is ever called. The licences of everything bundled
// are collected into generators/THIRD-PARTY-LICENSES.txt. Type checking is
// `npm run typecheck`'s job.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { SDK_DATA_FILE, SDK_PACKAGE } from '../src/lib/inputs/regions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'generators');
const require = createRequire(join(ROOT, 'package.json'));

/** The package.json one directory above `file` (where the patched files look). */
const packageBeside = (file: string): { name: string; version: string } =>
  JSON.parse(readFileSync(join(dirname(file), '..', 'package.json'), 'utf8')) as { name: string; version: string };

/** Never called by this generator; loud if that ever changes. */
const STUBS: Record<string, string> = {
  // yeoman-environment creates a repository object up front, and uses it only to install generators.
  'fly-import': `const no = () => { throw new Error('generator-metaflow-metadata: installing packages is not bundled'); };
export class FlyRepository { constructor(options) { this.repositoryPath = options?.repositoryPath; } install() { return no(); } }
export const flyImport = no;`,
  execa: `const no = () => { throw new Error('generator-metaflow-metadata: spawning through execa is not bundled'); };
export const execa = no, execaSync = no, execaCommand = no, execaCommandSync = no, execaNode = no;`,
  'which-package-manager': `export const whichPackageManager = async () => undefined;`,
  // yeoman-generator's helpers for generators that write a package.json or read git settings: this one does
  // neither (the npm registry client they pull in, with fetch, costs start-up time on every run).
  'latest-version': `export default async () => { throw new Error('generator-metaflow-metadata: npm registry lookups are not bundled'); };`,
  'simple-git': `export const CheckRepoActions = {}, CleanOptions = {};
export const simpleGit = () => { throw new Error('generator-metaflow-metadata: simple-git is not bundled (the generator runs git itself)'); };`,
  // yeoman-environment's lookup of installed generators (yo's job): this environment registers its one generator itself.
  globby: `const no = () => { throw new Error('generator-metaflow-metadata: generator lookup is not bundled'); };
export const globby = no, globbySync = no, globbyStream = no, isDynamicPattern = no;`,
};

/** Source edits, each of which must apply: a dependency update that moves the text fails the build. */
const PATCHES: { file: RegExp; from: string; to: (file: string) => string }[] = [
  // These read their own package.json next to their code, which is not there once bundled.
  { file: /yeoman-environment\/dist\/environment-base\.js$/, from: "require('../package.json').version", to: (file) => JSON.stringify(packageBeside(file).version) },
  {
    file: /yeoman-environment\/dist\/module-lookup\.js$/,
    from: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString()).name",
    to: (file) => JSON.stringify(packageBeside(file).name),
  },
  {
    file: /yeoman-generator\/dist\/generator\.js$/,
    from: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))",
    to: (file) => JSON.stringify({ version: packageBeside(file).version }),
  },
];

const ENVIRONMENT_BASE = join(dirname(require.resolve('yeoman-environment')), 'environment-base.js');

const slim: esbuild.Plugin = {
  name: 'slim-yeoman',
  setup(build) {
    // The bin's run needs only the base environment (register, create, run): not the full one's
    // command line, lookups and installers, which its package entry loads too.
    build.onResolve({ filter: /^yeoman-environment$/ }, (args) => (args.importer.endsWith(join('src', 'app', 'run.ts')) ? { path: 'yeoman-environment', namespace: 'environment-base' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'environment-base' }, () => ({
      contents: `export { default as EnvironmentBase } from ${JSON.stringify(ENVIRONMENT_BASE)};`,
      loader: 'js',
      resolveDir: ROOT,
    }));
    // Prompts (inquirer, an editor prompt with its character-set tables) are loaded at the first question: unattended runs ask none.
    build.onResolve({ filter: /^(\.\.?\/)+inquirer\.js$/ }, (args) =>
      args.namespace === 'file' && args.importer.includes(join('@yeoman', 'adapter', 'dist'))
        ? { path: resolve(dirname(args.importer), args.path), namespace: 'lazy-prompts' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-prompts' }, (args) => ({
      contents: `export const createAdapterPromptModule = (parameter) => {
  let promptModule;
  return async (questions, answers) => {
    promptModule ??= (await import(${JSON.stringify(args.path)})).createAdapterPromptModule(parameter);
    return promptModule(questions, answers);
  };
};`,
      loader: 'js',
      resolveDir: ROOT,
    }));
    build.onResolve({ filter: new RegExp(`^(${Object.keys(STUBS).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }));
    for (const patch of PATCHES) {
      build.onLoad({ filter: patch.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(patch.from)) throw new Error(`${args.path}: expected ${patch.from}; update scripts/build.ts`);
        return { contents: source.replace(patch.from, patch.to(args.path)), loader: 'js' };
      });
    }
  },
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const partitions = readFileSync(join(dirname(require.resolve(`${SDK_PACKAGE}/package.json`)), SDK_DATA_FILE), 'utf8');

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts', 'app/index': 'src/app/index.ts', 'app/run': 'src/app/run.ts' },
  outdir: OUT,
  chunkNames: 'lib/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  minify: true,
  keepNames: true,
  legalComments: 'none', // the licences are collected below
  metafile: true,
  logLevel: 'warning',
  define: { __SDK_PARTITIONS__: JSON.stringify(partitions) },
  // CommonJS dependencies require Node's built-ins.
  banner: { js: "import{createRequire as __mfmdRequire}from'node:module';const require=__mfmdRequire(import.meta.url);" },
  plugins: [slim],
});

const outputs = Object.entries(result.metafile.outputs).map(([path, output]) => ({ path: relative(OUT, join(ROOT, path)).split(sep).join('/'), output }));

chmodSync(join(OUT, 'cli.js'), 0o755);

// The packages bundled, their bytes in the output, and their licences.
const packageOf = (input: string): string | undefined => {
  const parts = input.replace(/^[a-z-]+:/, '').split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return undefined;
  const name = parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return `${parts.slice(0, at + 1).join('/')}/${name}`;
};
// What an unattended run loads: the bin, run.js and everything they import statically (prompts come later, if asked).
const loaded = new Set<string>();
const visit = (path: string): void => {
  if (loaded.has(path)) return;
  loaded.add(path);
  for (const { path: next, kind } of result.metafile.outputs[path]?.imports ?? []) if (kind === 'import-statement' && next in result.metafile.outputs) visit(next);
};
for (const path of Object.keys(result.metafile.outputs)) if (/generators\/(cli|app\/run)\.js$/.test(path)) visit(path);

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
writeFileSync(join(ROOT, '.tmp', 'build-meta.json'), `${JSON.stringify({ loadedBytes, packages }, null, 2)}\n`);

const total = outputs.reduce((sum, { output }) => sum + output.bytes, 0);
console.log(`built generators/: ${outputs.length} files, ${(total / 1e6).toFixed(2)} MB, ${packages.length} packages bundled`);
