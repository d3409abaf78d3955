// Driving the update engine the way a run does, without Yeoman: render, plan,
// carry out. Shared by the engine's tests.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../src/lib/inputs/catalogue.js';
import { storable } from '../src/lib/intake/answers.js';
import { render } from '../src/lib/render/render.js';
import type { Io } from '../src/lib/update/io.js';
import { carryOut, hasChanges, planRun, prepareTarget, type Run } from '../src/lib/update/update.js';
import { variant } from './helpers.js';

export interface EngineOptions {
  templatesDir?: string;
  version?: string;
  answers?: Answers;
  force?: boolean;
  restore?: boolean;
  io?: Io;
  /** Rendered files to use instead of rendering (a render cached by the caller). */
  rendered?: ReadonlyMap<string, string | Buffer>;
}

/** One run of the engine in `dir`, as lib/run.ts makes it: prepare (finish an interrupted run), plan (recording the answers that apply), write when there is something to write. */
export async function runEngine(dir: string, options: EngineOptions = {}): Promise<Run & { lines: string[] }> {
  const version = options.version ?? '1.0.0';
  const answers = options.answers ?? variant();
  const rendered = options.rendered ?? render(answers, { version, templatesDir: options.templatesDir });
  const lines = await prepareTarget(dir, { version, force: options.force }, options.io);
  const run = planRun({ target: dir, rendered, answers: storable(answers), version, force: options.force, restore: options.restore });
  if (hasChanges(run)) await carryOut(run, options.io);
  return { ...run, lines };
}

/** Every file and folder below `dir` (but .git) with its bytes and mtime: what "writes nothing" compares. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      if (name === '.git') continue;
      const path = sub === '' ? name : `${sub}/${name}`;
      const stats = lstatSync(join(dir, path));
      if (stats.isDirectory()) walk(path);
      else out.set(path, `${stats.mtimeMs} ${stats.isSymbolicLink() ? 'link' : readFileSync(join(dir, path)).toString('base64')}`);
    }
  };
  walk('');
  out.set('.', String(statSync(dir).mtimeMs));
  return out;
}

export const actions = (run: Pick<Run, 'plans'>): Record<string, string> => Object.fromEntries(run.plans.map((plan) => [plan.path, plan.action]));
