// Crash safety with the real bin: runs killed (SIGKILL) at random moments, a
// first generation and a re-run over an edited repository alike. After each
// kill every file is as it was or as the run meant it (never half-written,
// never empty), and the next run finishes or reports the interrupted one and
// is truthful: no generated file taken for your edit, the repository as one
// clean run leaves it.
//
// The killed runs see a slow disk (test/fixtures/slow-disk.mjs: every call
// that changes a file takes 2 ms more, a rename or unlink 6 ms), so that a
// moment drawn at random in the run's second half (fixed seed) lands inside
// its writes as often as not; nothing here depends on how the engine writes.
//   KILL_RUNS=200 KILL_SEED=$RANDOM node --import tsx/esm --test test/rerun-kill.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DEMO_FILE, ROOT } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
const RUNS = Number(process.env.KILL_RUNS ?? 10);
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

/** Run the bin (on a slow disk) in `cwd` on `target`; kill it `delay` ms after the start. Resolves with how it ended. */
function killed(cwd: string, target: string, delay: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', SLOW_DISK, BIN, target, ...ARGS], { cwd, env: ENV, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
  });
}

describe(`runs killed at random points (seed ${SEED}, ${RUNS} runs)`, () => {
  it('after a kill every file is old or new, and the next run finishes or reports it, truthfully', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kill-'));
    // The repository before: generated, with an edit of yours; and after one clean run.
    const before = join(work, 'before');
    assert.equal(spawnSync(process.execPath, [BIN, before, '--answers', DEMO_FILE, '--skip-git'], { env: ENV }).status, 0);
    writeFileSync(join(before, 'ecs.tf'), `${readFileSync(join(before, 'ecs.tf'), 'utf8')}# Reviewed by the platform team.\n`);
    const scenarios = {
      'first run': { old: new Map<string, string>(), setup: (dir: string) => void rmSync(dir, { recursive: true, force: true }) },
      're-run': { old: files(before), setup: (dir: string) => cpSync(before, dir, { recursive: true }) },
    };
    const expected: Record<string, Map<string, string>> = {};
    const fullRun: Record<string, number> = {};
    for (const [name, scenario] of Object.entries(scenarios)) {
      const dir = join(work, `clean-${name.replace(' ', '-')}`);
      scenario.setup(dir);
      const start = performance.now();
      const clean = spawnSync(process.execPath, ['--import', SLOW_DISK, BIN, dir, ...ARGS], { env: ENV, encoding: 'utf8' });
      fullRun[name] = performance.now() - start;
      assert.equal(clean.status, 0, clean.stderr);
      expected[name] = files(dir);
    }

    const next = random(SEED);
    const seen: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const name = i % 2 === 0 ? 'first run' : 're-run';
      const { old, setup } = scenarios[name as keyof typeof scenarios];
      const target = `run-${i}`;
      setup(join(work, target));
      // A moment in the run's second half, or (every other run) in its last sixth: loading and planning come first, the writes last.
      const delay = fullRun[name]! * (i % 4 < 2 ? 0.5 + 0.5 * next() : 0.83 + 0.17 * next());
      const how = { mode: `+${Math.round(delay)} ms`, delay };
      const ended = await killed(work, target, delay);
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
