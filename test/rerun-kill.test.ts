// Crash safety with the real bin: runs killed (SIGKILL) at random moments, a
// first generation and a re-run over an edited repository alike. After each
// kill every file is as it was or as the run meant it (never half-written,
// never empty), and the next run finishes or reports the interrupted one and
// is truthful: no generated file taken for your edit, the repository as one
// clean run leaves it.
//
// The killed runs see a slow disk (test/fixtures/slow-disk.mjs: every call
// that changes a file takes 1 ms more, a rename or unlink 3 ms), and each is
// killed at a moment drawn at random (fixed seed) from the time such a run
// spends writing, counted from its first change on disk (a folder's entries,
// or a file it changes); half of them from the moment its files start to
// change. Nothing here depends on how the engine writes.
//   KILL_RUNS=200 KILL_SEED=$RANDOM node --import tsx/esm --test test/rerun-kill.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DEMO_FILE, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
const RUNS = Number(process.env.KILL_RUNS ?? 8);
const SEED = Number(process.env.KILL_SEED ?? 20261202);
const ENV = { ...process.env, NO_COLOR: '1' };
const ARGS = ['--answers', DEMO_FILE, '--resource-suffix', 'prod', '--skip-git'];
const SLOW_DISK = pathToFileURL(join(ROOT, 'test', 'fixtures', 'slow-disk.mjs')).href;

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every file below dir, with its bytes (base64). */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(dir, path)).isFile()) out.set(path, readFileSync(join(dir, path)).toString('base64'));
  }
  return out;
}

/** What changes first when a run starts writing, whatever engine writes: the folders' entries, and the files it will change. */
function signature(dir: string, watched: readonly string[]): string {
  const parts: string[] = [];
  for (const sub of ['', '.generator', 'examples/complete']) parts.push(existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).join(',') : '-');
  return `${parts.join('|')}|${files_(dir, watched)}`;
}

/** The files a run changes (or creates), as they are now: their mtimes. */
const files_ = (dir: string, watched: readonly string[]): string => watched.map((path) => (existsSync(join(dir, path)) ? String(statSync(join(dir, path)).mtimeMs) : '-')).join(',');

/**
 * Run the bin (on a slow disk) in `cwd` on `target`; once it starts writing,
 * kill it after `delay` ms (Infinity: let it finish). Resolves with how it
 * ended, how long it wrote, and when (into that) the first of `watched` changed.
 */
function killed(cwd: string, target: string, watched: readonly string[], delay: number): Promise<{ ended: string; writing: number; firstFile: number }> {
  return new Promise((resolve) => {
    const dir = join(cwd, target);
    const initial = signature(dir, watched);
    const initialFiles = files_(dir, watched);
    const child = spawn(process.execPath, ['--import', SLOW_DISK, BIN, target, ...ARGS], { cwd, env: ENV, stdio: 'ignore' });
    let started: number | undefined;
    let firstFile: number | undefined;
    let exited = false;
    child.on('exit', (code, signal) => {
      exited = true;
      const now = performance.now();
      resolve({ ended: signal ?? `exit ${code}`, writing: started === undefined ? 0 : now - started, firstFile: firstFile === undefined || started === undefined ? 0 : firstFile - started });
    });
    // Poll every 0.2 ms (sleeping between, to leave the CPU to the run) in slices of 20 ms, letting the exit event in between.
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const poll = (): void => {
      const slice = performance.now() + 20;
      while (!exited && performance.now() < slice) {
        if (started === undefined && signature(dir, watched) !== initial) started = performance.now();
        if (started !== undefined && firstFile === undefined && delay === Infinity && files_(dir, watched) !== initialFiles) firstFile = performance.now();
        if (started !== undefined && performance.now() - started >= delay) {
          child.kill('SIGKILL');
          return;
        }
        Atomics.wait(cell, 0, 0, 0.2);
      }
      if (!exited) setImmediate(poll);
    };
    poll();
  });
}

describe(`runs killed at random points (seed ${SEED}, ${RUNS} runs)`, () => {
  it('after a kill every file is old or new, and the next run finishes or reports it, truthfully', async () => {
    const work = tempDir('kill-');
    // The repository before: generated, with an edit of yours; and after one clean run.
    const before = join(work, 'before');
    assert.equal(spawnSync(process.execPath, [BIN, before, '--answers', DEMO_FILE, '--skip-git'], { env: ENV }).status, 0);
    writeFileSync(join(before, 'ecs.tf'), `${readFileSync(join(before, 'ecs.tf'), 'utf8')}# Reviewed by the platform team.\n`);
    const scenarios = {
      'first run': { old: new Map<string, string>(), setup: (dir: string) => void rmSync(dir, { recursive: true, force: true }) },
      're-run': { old: files(before), setup: (dir: string) => cpSync(before, dir, { recursive: true }) },
    };
    const expected: Record<string, Map<string, string>> = {};
    const watched: Record<string, string[]> = {};
    const writing: Record<string, number> = {};
    const firstFile: Record<string, number> = {};
    for (const [name, scenario] of Object.entries(scenarios)) {
      // One clean run on the slow disk: what the run means to write, how long it writes, when its files start to change.
      const target = `clean-${name.replace(' ', '-')}`;
      scenario.setup(join(work, target));
      const changing = (want: Map<string, string>) => [...want].filter(([path, bytes]) => !path.startsWith('.generator/') && scenario.old.get(path) !== bytes).map(([path]) => path);
      // The files it changes are known once it has run; the demo's first run and a suffix change touch these.
      watched[name] = name === 'first run' ? ['.editorconfig', 'versions.tf'] : ['CHANGELOG.md', 'examples/complete/terraform.tfvars'];
      const timed = await killed(work, target, watched[name]!, Infinity);
      assert.equal(timed.ended, 'exit 0');
      expected[name] = files(join(work, target));
      assert.deepEqual(changing(expected[name]!).filter((path) => watched[name]!.includes(path)), watched[name], 'the files watched are ones the run changes');
      writing[name] = timed.writing;
      firstFile[name] = timed.firstFile;
    }

    const next = random(SEED);
    const seen: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const name = i % 2 === 0 ? 'first run' : 're-run';
      const { old, setup } = scenarios[name as keyof typeof scenarios];
      const target = `run-${i}`;
      setup(join(work, target));
      // A moment while it writes, from its first change on disk: every other run anywhere in that time (or a little after),
      // the others from the moment its files start to change, when a kill can leave some changed and some not.
      const from = i % 4 < 2 ? 0 : Math.max(0, firstFile[name]! - 5);
      const delay = from + (writing[name]! * 1.05 - from) * next();
      const how = { mode: `${delay.toFixed(1)} ms into its writes`, delay };
      const { ended } = await killed(work, target, watched[name]!, delay);
      const dir = join(work, target);
      const after = files(dir);
      const want = expected[name]!;
      for (const path of new Set([...old.keys(), ...want.keys()])) {
        if (path.startsWith('.generator/')) continue;
        const now = after.get(path);
        assert.ok(now === old.get(path) || now === want.get(path), `run ${i} (${name}, killed ${how.mode}, ${ended}): ${path} is neither as it was nor as the run meant it${now === '' ? ' (empty)' : ''}`);
      }
      const interrupted = existsSync(join(dir, '.generator', 'journal'));
      const changed = [...want].filter(([path, bytes]) => !path.startsWith('.generator/') && old.get(path) !== bytes);
      const done = changed.filter(([path, bytes]) => after.get(path) === bytes).length;
      const state = `${done === 0 ? 'nothing written' : done === changed.length ? 'all written' : 'some written'}${interrupted ? ', journal left' : ''}`;
      seen[`${name}: ${ended === 'SIGKILL' ? state : 'finished before the kill'}`] = (seen[`${name}: ${ended === 'SIGKILL' ? state : 'finished before the kill'}`] ?? 0) + 1;

      // The next run: finishes or reports the interrupted one; then the repository is what a clean run makes.
      const again = spawnSync(process.execPath, [BIN, target, ...ARGS], { cwd: work, env: ENV, encoding: 'utf8' });
      assert.equal(again.status, 0, `run ${i}: ${again.stderr}`);
      if (interrupted) assert.match(again.stdout, /^An earlier run \(pid \d+ .*\) was interrupted (before it changed any file|after \d+ of \d+ changes; finished)/m, `run ${i}`);
      else for (const line of again.stdout.split('\n').filter((l) => /interrupted/.test(l))) assert.match(line, /^ +removed {2}.*temporary files? .*an interrupted run left\)$/, `run ${i}`);
      for (const line of again.stdout.split('\n')) {
        assert.doesNotMatch(line, /^ +(conflict|overwritten|orphaned|deleted)/, `run ${i}: ${line}`);
        if (/^ +kept /.test(line)) assert.match(line, /^ +kept {2}run-\d+\/ecs\.tf /, `run ${i}: only your edit is yours: ${line}`);
      }
      const final = files(dir);
      for (const lock of [...final.keys()].filter((path) => path.startsWith('.generator/lock'))) {
        // A killed run's lock stays until the next run that writes; its process is gone.
        const { pid } = JSON.parse(Buffer.from(final.get(lock)!, 'base64').toString()) as { pid: number };
        assert.throws(() => process.kill(pid, 0), `run ${i}: a lock left by a live process`);
        final.delete(lock);
      }
      assert.deepEqual(final, want, `run ${i} (${name}, killed ${how.mode}): after the next run the repository is what one clean run makes`);
      rmSync(dir, { recursive: true, force: true });
    }
    process.stdout.write(`# kill points reached: ${JSON.stringify(seen)}\n`);
    rmSync(work, { recursive: true, force: true });
  });
});
