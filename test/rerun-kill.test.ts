// Crash safety with the real bin: runs killed (SIGKILL) at random points, a
// first generation and a re-run over an edited repository alike. After each
// kill every file is as it was or as the run meant it (never half-written,
// never empty), and the next run finishes or reports the interrupted one and
// is truthful: no generated file taken for your edit, the repository as one
// clean run leaves it.
//
// Kill points (fixed seed): a random time after the start (loading, planning),
// a random time after the run starts staging its writes (the temporary files
// and the journal, synced), and at once when the journal appears (the renames).
//   KILL_RUNS=200 KILL_SEED=$RANDOM node --import tsx/esm --test test/rerun-kill.test.ts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_FILE, ROOT } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
const RUNS = Number(process.env.KILL_RUNS ?? 12);
const SEED = Number(process.env.KILL_SEED ?? 20261202);
const ENV = { ...process.env, NO_COLOR: '1' };
const ARGS = ['--answers', DEMO_FILE, '--resource-suffix', 'prod', '--skip-git'];

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

const spin = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Run the bin in `cwd` on `target`; kill it per `how`. Resolves when it is gone. */
function killed(cwd: string, target: string, how: { mode: 'time' | 'staging' | 'journal'; delay: number }): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, target, ...ARGS], { cwd, env: ENV, stdio: 'ignore' });
    let exited = false;
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(signal ?? `exit ${code}`);
    });
    const start = performance.now();
    const watch = join(cwd, target, '.generator', how.mode === 'staging' ? '.journal.generator-tmp' : 'journal');
    const poll = (): void => {
      if (exited) return;
      if (how.mode === 'time' ? performance.now() - start >= how.delay : existsSync(watch)) {
        if (how.mode !== 'time') spin(how.delay);
        child.kill('SIGKILL');
        return;
      }
      // Busy-poll in slices so the exit event can still arrive.
      const slice = performance.now() + 20;
      while (performance.now() < slice) {
        if (how.mode === 'time' ? performance.now() - start >= how.delay : existsSync(watch)) return poll();
      }
      setImmediate(poll);
    };
    poll();
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
    let fullRun = 0;
    for (const [name, scenario] of Object.entries(scenarios)) {
      const dir = join(work, `clean-${name.replace(' ', '-')}`);
      scenario.setup(dir);
      const start = performance.now();
      const clean = spawnSync(process.execPath, [BIN, dir, ...ARGS], { env: ENV, encoding: 'utf8' });
      fullRun = Math.max(fullRun, performance.now() - start);
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
      const roll = next();
      const how = roll < 0.25 ? { mode: 'time' as const, delay: next() * fullRun } : roll < 0.6 ? { mode: 'staging' as const, delay: next() * 40 } : { mode: 'journal' as const, delay: next() * 0.5 };
      const ended = await killed(work, target, how);
      const dir = join(work, target);
      const after = files(dir);
      const want = expected[name]!;
      for (const path of new Set([...old.keys(), ...want.keys()])) {
        if (path.startsWith('.generator/')) continue;
        const now = after.get(path);
        assert.ok(now === old.get(path) || now === want.get(path), `run ${i} (${name}, ${how.mode} +${how.delay.toFixed(2)} ms, ${ended}): ${path} is neither as it was nor as the run meant it${now === '' ? ' (empty)' : ''}`);
      }
      const interrupted = existsSync(join(dir, '.generator', 'journal'));
      const changed = [...want].filter(([path, bytes]) => !path.startsWith('.generator/') && old.get(path) !== bytes);
      const done = changed.filter(([path, bytes]) => after.get(path) === bytes).length;
      const state = `${done === 0 ? 'nothing written' : done === changed.length ? 'all written' : 'some written'}${interrupted ? ', journal left' : ''}`;
      seen[`${how.mode}: ${state}`] = (seen[`${how.mode}: ${state}`] ?? 0) + 1;

      // The next run: finishes or reports the interrupted one; then the repository is what a clean run makes.
      const again = spawnSync(process.execPath, [BIN, target, ...ARGS], { cwd: work, env: ENV, encoding: 'utf8' });
      assert.equal(again.status, 0, `run ${i}: ${again.stderr}`);
      if (interrupted) assert.match(again.stdout, /^An earlier run \(pid \d+ .*\) was interrupted (before it changed any file|after \d+ of \d+ changes; finished)/m, `run ${i}`);
      else assert.doesNotMatch(again.stdout, /interrupted/, `run ${i}`);
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
      assert.deepEqual(final, want, `run ${i} (${name}, ${how.mode}): after the next run the repository is what one clean run makes`);
      rmSync(dir, { recursive: true, force: true });
    }
    process.stdout.write(`# kill points reached: ${JSON.stringify(seen)}\n`);
    rmSync(work, { recursive: true, force: true });
  });
});
