// A run for people: one labelled line per file, a summary, and for a dry run
// a unified diff of every change (binary files by size and digest, base copies
// counted), records included.
import { createTwoFilesPatch } from 'diff';
import { writes, type Action, type FilePlan } from './plan.js';
import { BLOB_DIR } from './record.js';
import { sha256, utf8 } from './text.js';
import type { Run } from './update.js';

const WIDTH = 11;

const COLOURS: Record<Action, number> = {
  created: 32, updated: 32, restored: 32, merged: 36, overwritten: 35, conflict: 31,
  kept: 33, deleted: 33, renamed: 33, orphaned: 33, removed: 33, stale: 31, unchanged: 2,
};

/** One line per file that is not simply unchanged: `     merged  ecs.tf  (note)`. */
export function describePlan(plans: readonly FilePlan[], showUnchanged = false, show: (path: string) => string = (path) => path, colour = false): string[] {
  const label = (action: Action): string => (colour ? `\u001b[${COLOURS[action]}m${action.padStart(WIDTH)}\u001b[0m` : action.padStart(WIDTH));
  return plans
    .filter((plan) => showUnchanged || plan.action !== 'unchanged')
    .map((plan) => `${label(plan.action)}  ${show(plan.path)}${plan.note ? `  (${plan.note})` : ''}`);
}

/** The records a run writes, in a line or two (base copies counted, not listed). */
export function describeRecords(records: readonly FilePlan[], show: (path: string) => string = (path) => path, leftovers: readonly string[] = []): string[] {
  const blobs = records.filter((plan) => plan.path.startsWith(`${BLOB_DIR}/`));
  const added = blobs.filter((plan) => plan.after !== undefined).length;
  const lines = records.filter((plan) => !plan.path.startsWith(`${BLOB_DIR}/`)).map((plan) => `${plan.action.padStart(WIDTH)}  ${show(plan.path)}${plan.note ? `  (${plan.note})` : ''}`);
  if (blobs.length > 0) lines.push(`${'recorded'.padStart(WIDTH)}  ${show(BLOB_DIR)}/  (base copies: ${added} added, ${blobs.length - added} removed)`);
  if (leftovers.length > 0) {
    const what = leftovers.length === 1 ? `${show(leftovers[0]!)}  (a temporary file` : `${leftovers.length} temporary files  (${leftovers.slice(0, 3).map(show).join(', ')}${leftovers.length > 3 ? ', ...' : ''}`;
    lines.push(`${'removed'.padStart(WIDTH)}  ${what} an interrupted run left)`);
  }
  return lines;
}

export function count(plans: readonly FilePlan[]): Partial<Record<Action, number>> {
  const counts: Partial<Record<Action, number>> = {};
  for (const plan of plans) counts[plan.action] = (counts[plan.action] ?? 0) + 1;
  return counts;
}

/** `3 updated, 1 merged, 30 unchanged`, or `nothing to do` when the run writes nothing. */
export function summarise(run: Pick<Run, 'plans' | 'records' | 'leftovers'>): string {
  const written = run.plans.some(writes) || run.records.length > 0 || run.leftovers.length > 0;
  const parts = Object.entries(count(run.plans)).filter(([action]) => written || action !== 'unchanged').map(([action, n]) => `${n} ${action}`);
  if (!written) return parts.length === 0 ? 'nothing to do' : `nothing to do (${parts.join(', ')})`;
  return parts.join(', ');
}

/** Files with conflict markers after the run: conflicts, and the sources a built file was not rebuilt from. */
export const conflicts = (plans: readonly FilePlan[]): string[] =>
  [...new Set(plans.flatMap((plan) => (plan.action === 'conflict' ? [plan.path] : plan.conflicted ?? [])))].sort();

const size = (bytes: Buffer): string => `${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)}`;

/** A unified diff of what the plan changes in one file (binary files: sizes and digests). */
export function unifiedDiff(plan: FilePlan): string {
  if (!writes(plan)) return '';
  const before = plan.before && utf8(plan.before);
  const after = plan.after && utf8(plan.after);
  if ((plan.before !== undefined && before === undefined) || (plan.after !== undefined && after === undefined) || plan.path.endsWith('.zip')) {
    const was = plan.before === undefined ? 'none' : size(plan.before);
    const will = plan.after === undefined ? 'none' : size(plan.after);
    return `Binary file ${plan.path} ${plan.before === undefined ? 'created' : plan.after === undefined ? 'removed' : 'changed'}: ${was} -> ${will}\n`;
  }
  return createTwoFilesPatch(plan.before === undefined ? '/dev/null' : `a/${plan.path}`, plan.after === undefined ? '/dev/null' : `b/${plan.path}`, before ?? '', after ?? '', '', '', { context: 3 });
}

/** Everything a dry run shows: each file's label, each change as a diff, the records, a summary. */
export function dryRunReport(run: Run, shown: (path: string) => string): string {
  const diffs = [...run.plans, ...run.records.filter((plan) => !plan.path.startsWith(`${BLOB_DIR}/`))].map(unifiedDiff).filter((diff) => diff !== '');
  return [
    `Dry run: nothing is written. What a real run would do in ${run.target}:`,
    ...run.notes.map((note) => `Note: ${note}`),
    '',
    ...describePlan(run.plans, true, shown),
    ...describeRecords(run.records, shown, run.leftovers),
    '',
    ...diffs.map((diff) => diff.trimEnd()),
    '',
    summarise(run),
    '',
  ].join('\n');
}

/** The files a run left with conflict markers; the run's exit status says so. */
export class MergeConflictError extends Error {
  /** `then`: what to do once they are resolved (the run's next steps), said after them. */
  constructor(readonly files: readonly string[], dryRun = false, then?: string) {
    super(
      [
        `${files.length === 1 ? '1 file has' : `${files.length} files have`} conflicts${dryRun ? ' (a real run would write them with conflict markers)' : ', marked <<<<<<< yours, ||||||| last generated, =======, >>>>>>> new'}:`,
        ...files.map((file) => `  - ${file}`),
        dryRun ? 'Nothing was written.' : 'Resolve them (keep what you want, delete the markers), review with git diff, then commit.',
        ...(then ? ['', `Once they are resolved:\n${then}`] : []),
      ].join('\n'),
    );
    this.name = 'MergeConflictError';
  }
}
