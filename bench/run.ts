// Rendering speed and memory: how long one `render(answers)` takes and how
// much heap it keeps. Targets: under 20 ms a render, under 50 MB heap growth
// over the run. Prints the numbers and exits non-zero when a target is missed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complete } from '../src/lib/intake/answers.js';
import { PACKAGE_ROOT, render } from '../src/lib/render/render.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const TARGET_MS = 20;
const TARGET_HEAP_MB = 50;

const answers = complete(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'answers.demo.json'), 'utf8')));
render(answers, { version: 'bench' }); // warm up
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = process.hrtime.bigint();
let bytes = 0;
for (let i = 0; i < RUNS; i++) {
  for (const text of render(answers, { version: 'bench' }).values()) bytes += text.length;
}
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
globalThis.gc?.();
const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
const perRender = elapsedMs / RUNS;

console.log(`render: ${RUNS} runs, ${perRender.toFixed(2)} ms each (target < ${TARGET_MS}), ${(bytes / RUNS / 1024).toFixed(1)} KiB written each`);
console.log(`heap growth: ${heapGrowthMb.toFixed(1)} MB (target < ${TARGET_HEAP_MB})`);
if (perRender > TARGET_MS || heapGrowthMb > TARGET_HEAP_MB) {
  console.error('benchmark target missed');
  process.exitCode = 1;
}
