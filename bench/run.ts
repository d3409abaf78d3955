// `npm run bench`: the three goals of a scaffolder people run with npx, measured
// side by side in one run on this machine, plus rendering speed and memory.
//
//   1. install: the packed package installed for production (`npm pack`, then
//      `npm install --omit=dev <tarball>`), its size on disk (goal ≤ 15 MB);
//   2. start: cold `--version` and `--help` of the installed bin, median of N
//      fresh processes after a warm-up (goal ≤ 0.5 s);
//   3. generate: the demo answers written unattended by the installed bin, against
//      a one-file Yeoman generator (bench/minimal) run through yeoman-environment,
//      alternating, medians and their ratio (goal ≤ 0.4×).
//
// It says which dependency costs the most bytes and start-up time, and exits 1
// when a goal is missed. BENCH_RUNS sets N (default 10).
//
// BENCH_AGAINST=<a clone of another revision, npm ci'd> adds 5: that revision
// built, packed and installed the same way, and its bin and ours run in turns
// (--version, --help, the unattended demo): medians side by side, so a change
// is measured against its base on the same machine at the same moment.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { complete } from '../src/lib/intake/answers.js';
import { PACKAGE_ROOT } from '../src/lib/package.js';
import { render } from '../src/lib/render/render.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const WARMUP = 2;
const GOALS = { installMb: 15, startSeconds: 0.5, generateRatio: 0.4 };
const MB = 1000 * 1000;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const seconds = (s: number): string => `${s.toFixed(3)} s`;
const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** Wall time of one process, in seconds; throws when it fails. */
function timed(command: string, args: readonly string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${child.status}:\n${child.stdout}${child.stderr}`);
  return elapsed;
}

/** Disk usage of a directory (as `du -sk` counts it), in bytes. */
function diskUsage(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;
}

/** Every installed package under node_modules (nested ones too): name and directory. */
function installedPackages(nodeModules: string): { name: string; dir: string }[] {
  const found: { name: string; dir: string }[] = [];
  const visit = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((sub) => join(entry, sub)) : [entry];
      for (const name of dirs) {
        const dir = join(modules, name);
        if (!existsSync(join(dir, 'package.json'))) continue;
        found.push({ name, dir });
        visit(join(dir, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return found;
}

/** Bytes of a package's own files, without its nested node_modules. */
function ownBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) total += entry.name === 'node_modules' ? 0 : ownBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`;
console.log(`machine: ${machine}`);
console.log(`runs: ${RUNS} after ${WARMUP} warm-up\n`);

const work = mkdtempSync(join(tmpdir(), 'mfmd-bench-'));
const failures: string[] = [];

// ---- 1. Production install of the packed package --------------------------------
execFileSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
const tarball = join(work, (packed[0] as { filename: string }).filename);
const install = join(work, 'install');
mkdirSync(install);
writeFileSync(join(install, 'package.json'), '{ "private": true }\n');
const installSeconds = timed('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', tarball], install);
const nodeModules = join(install, 'node_modules');
const installBytes = diskUsage(nodeModules);
const packages = installedPackages(nodeModules);
const installedRoot = join(nodeModules, 'generator-metaflow-metadata');
const manifest = JSON.parse(readFileSync(join(installedRoot, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string>; bin: Record<string, string> };
const BIN = join(installedRoot, manifest.bin['create-metaflow-metadata'] as string);

console.log('1. install (npm pack, then npm install --omit=dev <tarball>)');
console.log(`   tarball ${megabytes((packed[0] as { size: number }).size)}, ${(packed[0] as { entryCount: number }).entryCount} files; installed in ${seconds(installSeconds)} (npm cache warm)`);
console.log(`   node_modules: ${megabytes(installBytes)} on disk, ${packages.length} packages (package.json files)`);
// What each direct dependency pulls in: its own bytes plus those of everything it depends on (counted once).
const byName = new Map<string, string>();
for (const { name, dir } of packages) if (!byName.has(name)) byName.set(name, dir);
const closure = (name: string, seen = new Set<string>()): Set<string> => {
  const dir = byName.get(name);
  if (!dir || seen.has(dir)) return seen;
  seen.add(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const nested = join(dir, 'node_modules', dep);
    if (existsSync(join(nested, 'package.json'))) {
      byName.set(`${dir}>${dep}`, nested);
      closure(`${dir}>${dep}`, seen);
    } else closure(dep, seen);
  }
  return seen;
};
const direct = Object.keys(manifest.dependencies ?? {});
const costs = direct
  .map((dep) => ({ dep, bytes: [...closure(dep)].reduce((sum, dir) => sum + ownBytes(dir), 0), count: closure(dep).size }))
  .sort((a, b) => b.bytes - a.bytes);
const ownSize = ownBytes(installedRoot);
console.log(`   generator-metaflow-metadata itself: ${megabytes(ownSize)} (templates ${megabytes(ownBytes(join(installedRoot, 'templates')))}, generators ${megabytes(ownBytes(join(installedRoot, 'generators')))})`);
if (costs.length === 0) console.log('   runtime dependencies: none');
for (const { dep, bytes, count } of costs.slice(0, 5)) console.log(`   ${dep}: ${megabytes(bytes)} with its ${count - 1} dependencies`);
if (costs[0]) console.log(`   costs the most bytes: ${costs[0].dep}`);
else if (existsSync(join(PACKAGE_ROOT, '.tmp', 'build-meta.json'))) {
  const largest = (JSON.parse(readFileSync(join(PACKAGE_ROOT, '.tmp', 'build-meta.json'), 'utf8')) as { packages: { name: string; bytes: number }[] }).packages[0];
  if (largest) console.log(`   costs the most bytes (bundled into generators/): ${largest.name}, ${megabytes(largest.bytes)}`);
}
const installOk = installBytes <= GOALS.installMb * MB;
if (!installOk) failures.push('install size');

// ---- 2. Cold --version and --help ------------------------------------------------
console.log('\n2. start (fresh node process each; the installed bin)');
const coldStart = (flag: string): number => {
  for (let i = 0; i < WARMUP; i++) timed(process.execPath, [BIN, flag], work);
  return median(Array.from({ length: RUNS }, () => timed(process.execPath, [BIN, flag], work)));
};
const emptyNode = median(Array.from({ length: RUNS }, () => timed(process.execPath, ['-e', '0'], work)));
const version = coldStart('--version');
const help = coldStart('--help');
console.log(`   --version ${seconds(version)}, --help ${seconds(help)} (node itself: ${seconds(emptyNode)})`);
const startOk = Math.max(version, help) <= GOALS.startSeconds;
if (!startOk) failures.push('start time');

// Start-up cost of each package a run loads (the runtime dependencies, or what the build bundled and a run loads of it),
// each imported alone from the dev tree: a bundle loads faster than this, but in the same order of cost.
const bundleMeta = join(PACKAGE_ROOT, '.tmp', 'build-meta.json');
const bundle = existsSync(bundleMeta)
  ? (JSON.parse(readFileSync(bundleMeta, 'utf8')) as { loadedBytes: number; packages: { name: string; bytes: number; loaded: number }[] })
  : undefined;
const loadedByRun = (bundle?.packages ?? []).filter((p) => p.loaded > 0).sort((a, b) => b.loaded - a.loaded);
if (bundle) {
  const kib = (bytes: number): string => `${Math.round(bytes / 1024)} KiB`;
  const lazy = bundle.packages.filter((p) => p.loaded === 0).slice(0, 3);
  console.log(`   bundled: a run loads ${megabytes(bundle.loadedBytes)} of JavaScript; most of it: ${loadedByRun.slice(0, 5).map((p) => `${p.name} ${kib(p.loaded)}`).join(', ')}`);
  if (lazy.length > 0) console.log(`   not loaded by an unattended run of the bin (only by its prompts, or by yo's adapter): ${lazy.map((p) => `${p.name} ${kib(p.bytes)}`).join(', ')}, ...`);
}
const candidates = [...new Set([...direct, ...loadedByRun.slice(0, 6).map((p) => p.name)])];
const importCost = candidates
  .map((name) => {
    const args = ['--input-type=module', '-e', `await import(${JSON.stringify(name)})`];
    try {
      timed(process.execPath, args, PACKAGE_ROOT);
      return { name, seconds: Math.max(0, median(Array.from({ length: 3 }, () => timed(process.execPath, args, PACKAGE_ROOT))) - emptyNode) };
    } catch {
      return undefined; // not importable on its own (no main entry)
    }
  })
  .filter((cost): cost is { name: string; seconds: number } => cost !== undefined)
  .sort((a, b) => b.seconds - a.seconds);
if (importCost.length > 0) {
  console.log(`   import time of each, alone and unbundled: ${importCost.slice(0, 6).map((c) => `${c.name} ${seconds(c.seconds)}`).join(', ')}`);
  console.log(`   costs the most start-up time: ${(importCost[0] as { name: string }).name}`);
}

// What --version, --help and an unattended run load of the bundle (a module load hook lists the files
// each reads): never the AWS room (src/lib/aws and the AWS SDK), which only a run at a terminal or
// --preflight loads. Needs module.registerHooks (Node 22.15+).
const awsFiles = new Set((bundle as { awsFiles?: string[] } | undefined)?.awsFiles ?? []);
const HOOK = `import{registerHooks}from'node:module';import{writeSync}from'node:fs';registerHooks({load(u,c,n){const m=/\\/generators\\/(.*)$/.exec(u);if(m)writeSync(2,'LOADED '+m[1]+'\\n');return n(u,c)}});`;
const loadedFiles = (args: readonly string[], cwd: string): string[] | undefined => {
  const child = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.status !== 0) return undefined;
  return [...child.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1] as string);
};
let awsOk = true;
if (awsFiles.size > 0 && 'registerHooks' in (await import('node:module'))) {
  const demoFile = join(PACKAGE_ROOT, 'examples', 'answers.demo.json');
  for (const [what, args] of [['--version', ['--version']], ['--help', ['--help']], ['unattended run', ['out', '--answers', demoFile, '--skip-git']]] as const) {
    const files = loadedFiles(args, mkdtempSync(join(work, 'load-')));
    if (!files) {
      console.log(`   ${what}: could not list the files it loads`);
      continue;
    }
    const bytes = files.reduce((sum, file) => sum + statSync(join(installedRoot, 'generators', file)).size, 0);
    const aws = files.filter((file) => awsFiles.has(file));
    if (aws.length > 0) awsOk = false;
    console.log(`   ${what} loads ${files.length} files of the bundle, ${megabytes(bytes)}; of the AWS room (${awsFiles.size} files): ${aws.length === 0 ? 'none' : aws.join(', ')}`);
  }
  const awsBytes = [...awsFiles].reduce((sum, file) => sum + (existsSync(join(installedRoot, 'generators', file)) ? statSync(join(installedRoot, 'generators', file)).size : 0), 0);
  console.log(`   the AWS room (discovery and --preflight, with the AWS SDK): ${megabytes(awsBytes)}, loaded only at a terminal or with --preflight`);
}
if (!awsOk) failures.push('AWS SDK loaded where it should not be');

// ---- 3. Unattended generation vs a one-file Yeoman generator ---------------------
console.log('\n3. generate (demo answers, --skip-git; vs bench/minimal through yeoman-environment, alternating)');
const demo = join(PACKAGE_ROOT, 'examples', 'answers.demo.json');
const minimal = join(PACKAGE_ROOT, 'bench', 'minimal', 'run.js');
const ours = (): number => {
  const cwd = mkdtempSync(join(work, 'gen-'));
  return timed(process.execPath, [BIN, 'out', '--answers', demo, '--skip-git'], cwd);
};
const reference = (): number => timed(process.execPath, [minimal, mkdtempSync(join(work, 'min-'))], work);
for (let i = 0; i < WARMUP; i++) {
  ours();
  reference();
}
const oursTimes: number[] = [];
const referenceTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  if (i % 2 === 0) {
    oursTimes.push(ours());
    referenceTimes.push(reference());
  } else {
    referenceTimes.push(reference());
    oursTimes.push(ours());
  }
}
const generate = median(oursTimes);
const minimalRun = median(referenceTimes);
const ratio = generate / minimalRun;
console.log(`   create-metaflow-metadata ${seconds(generate)}, minimal Yeoman generator ${seconds(minimalRun)}: ${ratio.toFixed(2)}×`);
const generateOk = ratio <= GOALS.generateRatio;
if (!generateOk) failures.push('generation time');

// ---- 4. Rendering alone ------------------------------------------------------------
const answers = complete(JSON.parse(readFileSync(demo, 'utf8')));
render(answers, { version: 'bench' });
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const renders = RUNS * 20;
const started = process.hrtime.bigint();
for (let i = 0; i < renders; i++) render(answers, { version: 'bench' });
const perRender = Number(process.hrtime.bigint() - started) / 1e6 / renders;
globalThis.gc?.();
const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
console.log(`\n4. render: ${perRender.toFixed(2)} ms each over ${renders} runs, heap growth ${heapGrowth.toFixed(1)} MB`);

// ---- 5. Against another revision (BENCH_AGAINST) --------------------------------------
const against = process.env.BENCH_AGAINST;
if (against) {
  execFileSync('npm', ['run', 'build'], { cwd: against, stdio: ['ignore', 'ignore', 'inherit'] });
  const theirPackDir = mkdtempSync(join(work, 'their-pack-'));
  const theirPack = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', theirPackDir], { cwd: against, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { filename: string }[];
  const theirInstall = mkdtempSync(join(work, 'their-install-'));
  writeFileSync(join(theirInstall, 'package.json'), '{ "private": true }\n');
  const theirTarball = join(theirPackDir, (theirPack[0] as { filename: string }).filename);
  timed('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', theirTarball], theirInstall);
  const theirRoot = join(theirInstall, 'node_modules', 'generator-metaflow-metadata');
  const theirBin = join(theirRoot, (JSON.parse(readFileSync(join(theirRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['create-metaflow-metadata'] as string);
  console.log(`\n5. against ${against} (installed: ${megabytes(diskUsage(join(theirInstall, 'node_modules')))}; the two bins in turns, ${RUNS} runs each after ${WARMUP} warm-up)`);
  const cases: [string, (bin: string) => number][] = [
    ['--version', (bin) => timed(process.execPath, [bin, '--version'], work)],
    ['--help', (bin) => timed(process.execPath, [bin, '--help'], work)],
    ['unattended demo', (bin) => timed(process.execPath, [bin, 'out', '--answers', demo, '--skip-git'], mkdtempSync(join(work, 'ab-')))],
  ];
  for (const [what, once] of cases) {
    for (let i = 0; i < WARMUP; i++) {
      once(BIN);
      once(theirBin);
    }
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        mine.push(once(BIN));
        theirs.push(once(theirBin));
      } else {
        theirs.push(once(theirBin));
        mine.push(once(BIN));
      }
    }
    const [a, b] = [median(mine), median(theirs)];
    console.log(`   ${what.padEnd(16)} this ${seconds(a)}, that ${seconds(b)}: ${a >= b ? '+' : ''}${((a - b) * 1000).toFixed(0)} ms (${((a / b - 1) * 100).toFixed(1)}%)`);
  }
}

rmSync(work, { recursive: true, force: true });

console.log('\ngoals');
console.log(`   ${verdict(installOk)}  install ${megabytes(installBytes)} (≤ ${GOALS.installMb} MB)`);
console.log(`   ${verdict(startOk)}  --version ${seconds(version)}, --help ${seconds(help)} (≤ ${GOALS.startSeconds} s)`);
console.log(`   ${verdict(generateOk)}  generate ${ratio.toFixed(2)}× a minimal Yeoman generator (≤ ${GOALS.generateRatio}×)`);
if (awsFiles.size > 0) console.log(`   ${verdict(awsOk)}  --version, --help and unattended runs load none of the AWS room`);
if (failures.length > 0) {
  console.error(`goals missed: ${failures.join(', ')}`);
  process.exitCode = 1;
}
