// Property-based tests of re-runs (fast-check, fixed seed): random edits of the
// generated files (lines added, removed, replaced; Markdown underlines and
// lone conflict-marker-like lines among them; now and then a real conflict
// left unresolved), random files checked out with CRLF, and random answer
// changes. Each case: a repository generated with answers A, a CRLF checkout
// of some files and a re-run with A (nothing to do), the edits and a re-run
// with answers B, then B again (nothing to do).
//
//   RERUN_RUNS=500 RERUN_SEED=$RANDOM node --import tsx/esm --test test/rerun-props.test.ts
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Answers } from '../src/lib/inputs/catalogue.js';
import { render } from '../src/lib/render/render.js';
import { realIo, type Io } from '../src/lib/update/io.js';
import { summarise } from '../src/lib/update/report.js';
import { runEngine, snapshot } from './engine.js';
import { tempDir, variant } from './helpers.js';

const RUNS = Number(process.env.RERUN_RUNS ?? 40);
const SEED = Number(process.env.RERUN_SEED ?? 20261202);

const VARIANTS: Answers[] = [
  {},
  { resource_suffix: 'prod' },
  { metadata_service_cpu: 1024, metadata_service_memory: 2048 },
  { api_basic_auth: false },
  { ecs_cluster_id: 'arn:aws:ecs:us-east-1:123456789012:cluster/shared', with_public_ip: true },
];
/** Syncing to disk is not what these properties are about: skipped, to test more cases in the time. */
const io: Io = { ...realIo, create: (path, data, mode) => realIo.create(path, data, mode, false) };
const RENDERS = VARIANTS.map((changes) => ({ answers: variant(changes), rendered: render(variant(changes), { version: '1.0.0' }) }));
const TEXT_FILES = [...RENDERS[0]!.rendered].filter(([, contents]) => typeof contents === 'string').map(([path]) => path);

/** A repository generated with each variant's answers, made once and copied for each case. */
const GENERATED = new Map<number, string>();
async function generatedWith(index: number): Promise<string> {
  if (!GENERATED.has(index)) {
    const dir = tempDir('props-gen-');
    await runEngine(dir, { ...RENDERS[index]!, version: '1.0.0', io });
    GENERATED.set(index, dir);
  }
  return GENERATED.get(index)!;
}

/** Lines people write, including ones that look like conflict markers but are not a set. */
const LINE = fc.constantFrom('# reviewed by the platform team', '=======', 'Heading', '<<<<<<< not a conflict on its own', '>>>>>>> nor this', '||||||| nor this', '======= ', 'locals { extra = 1 }', '', '  # indented note', 'Latin-1: caf\u00e9');
const FULL_SET = ['<<<<<<< yours', 'left = 1', '=======', 'left = 2', '>>>>>>> theirs'];

const edit = fc.record({
  file: fc.nat(TEXT_FILES.length - 1),
  at: fc.nat(400),
  op: fc.constantFrom('insert', 'delete', 'replace'),
  line: LINE,
});

const scenario = fc.record({
  a: fc.nat(VARIANTS.length - 1),
  b: fc.nat(VARIANTS.length - 1),
  crlf: fc.uniqueArray(fc.nat(TEXT_FILES.length - 1), { maxLength: 12 }),
  edits: fc.array(edit, { maxLength: 8 }),
  unresolved: fc.option(fc.record({ file: fc.nat(TEXT_FILES.length - 1), at: fc.nat(400) }), { freq: 4 }),
});

/** An independent oracle: a `<<<<<<<` line, later a `=======` line, later a `>>>>>>>` line. */
const fullSet = (text: string): boolean => /^<{7}(?: [^\n]*)?\r?\n(?:[^\n]*\n)*?={7}\r?\n(?:[^\n]*\n)*?>{7}(?: [^\n]*)?\r?$/m.test(text);

/** A `<<<<<<<` while a conflict is still open. */
function nested(text: string): boolean {
  let open = false;
  for (const line of text.split('\n')) {
    if (/^<{7}( |\r?$)/.test(line)) {
      if (open) return true;
      open = true;
    } else if (/^>{7}( |\r?$)/.test(line)) open = false;
  }
  return false;
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
const isCrlf = (bytes: Buffer): boolean => !/(^|[^\r])\n/.test(bytes.toString('latin1'));

describe(`re-runs (seed ${SEED}, ${RUNS} cases)`, () => {
  it('CRLF checkouts, random edits and answers: no-op runs write nothing, endings kept, markers only as full sets, never nested', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ a, b, crlf: crlfFiles, edits, unresolved }) => {
        const dir = tempDir('props-');
        try {
          cpSync(await generatedWith(a), dir, { recursive: true });
          const A = { ...RENDERS[a]!, version: '1.0.0', io };
          const B = { ...RENDERS[b]!, version: '1.0.0', io };

          // A Windows checkout of some files (the Lambda sources stay LF: .gitattributes says -text there).
          const converted = [...new Set(crlfFiles.map((i) => TEXT_FILES[i]!))].filter((path) => !path.startsWith('functions/db_migrate/'));
          for (const path of converted) writeFileSync(join(dir, path), crlf(readFileSync(join(dir, path), 'latin1')), 'latin1');
          let before = snapshot(dir);
          const same = await runEngine(dir, A);
          assert.equal(summarise(same), 'nothing to do', 'a CRLF checkout is the same files');
          assert.deepEqual(snapshot(dir), before, 'no byte, no mtime');

          // Edits, in each file's own line ending.
          const marked = new Set<string>();
          for (const e of edits) {
            const path = TEXT_FILES[e.file]!;
            const bytes = readFileSync(join(dir, path), 'latin1');
            const eol = converted.includes(path) ? '\r\n' : '\n';
            const lines = bytes.split(eol);
            const at = e.at % lines.length;
            if (e.op === 'insert') lines.splice(at, 0, e.line);
            else if (e.op === 'delete' && lines.length > 2) lines.splice(at, 1);
            else lines[at] = e.line;
            writeFileSync(join(dir, path), lines.join(eol), 'latin1');
          }
          if (unresolved) {
            const path = TEXT_FILES[unresolved.file]!;
            const eol = converted.includes(path) ? '\r\n' : '\n';
            const lines = readFileSync(join(dir, path), 'latin1').split(eol);
            lines.splice(unresolved.at % lines.length, 0, ...FULL_SET);
            writeFileSync(join(dir, path), lines.join(eol), 'latin1');
          }
          for (const path of TEXT_FILES) if (existsSync(join(dir, path)) && fullSet(readFileSync(join(dir, path), 'latin1'))) marked.add(path);

          const edited = new Map(TEXT_FILES.map((path) => [path, readFileSync(join(dir, path))]));
          const run = await runEngine(dir, B);
          for (const plan of run.plans) {
            if (!TEXT_FILES.includes(plan.path)) continue;
            const now = existsSync(join(dir, plan.path)) ? readFileSync(join(dir, plan.path)) : undefined;
            const was = edited.get(plan.path)!;
            if (marked.has(plan.path) && !was.equals(readFileSync(join(await generatedWith(a), plan.path)))) {
              // A file still holding a conflict is left exactly as it is.
              assert.equal(plan.action, 'conflict', `${plan.path}: ${plan.action}`);
              assert.deepEqual(now, was, `${plan.path} left as it was`);
            } else {
              assert.doesNotMatch(plan.note ?? '', /still has conflict markers/, `${plan.path}: a lone marker-like line is no conflict`);
            }
            if (now !== undefined) {
              assert.ok(!nested(now.toString('latin1')), `${plan.path}: nested markers`);
              if (converted.includes(plan.path) && !was.equals(now)) assert.ok(isCrlf(now), `${plan.path}: written back with CRLF`);
            }
          }

          before = snapshot(dir);
          const again = await runEngine(dir, B);
          assert.match(summarise(again), /^nothing to do/, 'the same run again');
          assert.deepEqual(snapshot(dir), before, 'the same run again writes nothing');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
