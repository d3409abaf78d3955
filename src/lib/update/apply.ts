// Carry out a plan on disk and record what was written; describe a plan for
// people (labels, a summary, unified diffs for a dry run).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { nextBase, writes, type Action, type FilePlan } from './plan.js';
import { BASE_FILE, STORE_FILE, baseJson, storeJson } from './record.js';

/** Write and delete what the plan says, then record the answers and the new base. */
export function applyPlan(target: string, plans: readonly FilePlan[], version: string, answers: Record<string, unknown>): void {
  for (const plan of plans) {
    if (!writes(plan)) continue;
    const full = join(target, plan.path);
    if (plan.after === undefined) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, plan.after);
  }
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, STORE_FILE), storeJson(version, answers));
  writeFileSync(join(target, BASE_FILE), baseJson(nextBase(plans, version)));
}

/** Paths a first commit should hold: everything written, and the two records. */
export function writtenPaths(plans: readonly FilePlan[]): string[] {
  return [...plans.filter((plan) => plan.after !== undefined).map((plan) => plan.path), STORE_FILE, BASE_FILE];
}

const WIDTH = 11;

/** One line per file that is not simply unchanged: `   merged  ecs.tf  (note)`. */
const COLOURS: Record<Action, number> = {
  created: 32, updated: 32, restored: 32, merged: 36, overwritten: 35, conflict: 31,
  kept: 33, deleted: 33, orphaned: 33, removed: 33, unchanged: 2,
};

export function describePlan(plans: readonly FilePlan[], showUnchanged = false, show: (path: string) => string = (path) => path, colour = false): string[] {
  const label = (action: Action): string => (colour ? `\u001b[${COLOURS[action]}m${action.padStart(WIDTH)}\u001b[0m` : action.padStart(WIDTH));
  return plans
    .filter((plan) => showUnchanged || plan.action !== 'unchanged')
    .map((plan) => `${label(plan.action)}  ${show(plan.path)}${plan.note ? `  (${plan.note})` : ''}`);
}


export function count(plans: readonly FilePlan[]): Partial<Record<Action, number>> {
  const counts: Partial<Record<Action, number>> = {};
  for (const plan of plans) counts[plan.action] = (counts[plan.action] ?? 0) + 1;
  return counts;
}

export function summarise(plans: readonly FilePlan[]): string {
  const parts = Object.entries(count(plans)).map(([action, n]) => `${n} ${action}`);
  return parts.length === 0 ? 'nothing to do' : parts.join(', ');
}

export const conflicts = (plans: readonly FilePlan[]): string[] => plans.filter((plan) => plan.action === 'conflict').map((plan) => plan.path);

/** A unified diff of what the plan changes in one file (binary files: one line). */
export function unifiedDiff(plan: FilePlan): string {
  if (plan.before === plan.after || !writes(plan)) return '';
  if (Buffer.isBuffer(plan.before) || Buffer.isBuffer(plan.after)) return `Binary file ${plan.path} ${plan.before === undefined ? 'created' : 'changed'}\n`;
  return createTwoFilesPatch(plan.before === undefined ? '/dev/null' : `a/${plan.path}`, plan.after === undefined ? '/dev/null' : `b/${plan.path}`, plan.before ?? '', plan.after ?? '', '', '', { context: 3 });
}

/** The files a run left with conflict markers; the run's exit status says so. */
export class MergeConflictError extends Error {
  constructor(readonly files: readonly string[], dryRun = false) {
    super(
      [
        `${files.length === 1 ? '1 file has' : `${files.length} files have`} conflicts${dryRun ? ' (a real run would write them with conflict markers)' : ', written with conflict markers (<<<<<<< yours, ||||||| last generated, =======, >>>>>>> new)'}:`,
        ...files.map((file) => `  - ${file}`),
        dryRun ? 'Nothing was written.' : 'Resolve them (keep what you want, delete the markers), review with git diff, then commit.',
      ].join('\n'),
    );
    this.name = 'MergeConflictError';
  }
}
