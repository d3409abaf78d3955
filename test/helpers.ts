// Shared test helpers: demo answers, variants, rendering and HCL parsing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { format } from '@cdktf/hcl-tools';
import { complete } from '../src/lib/intake/answers.js';
import type { Answers } from '../src/lib/inputs/catalogue.js';
import { render, type FileContent } from '../src/lib/render/render.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_FILE = join(ROOT, 'examples', 'answers.demo.json');
export const CONTRACT = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'contract.json'), 'utf8')) as {
  inputs: Record<string, { type: string; required?: boolean; default?: unknown; description: string }>;
  outputs: Record<string, string>;
};

export function demoAnswers(): Answers {
  return JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as Answers;
}

/** Demo answers with changes, completed and validated as the generator would. */
export function variant(changes: Answers = {}): Answers {
  return complete({ ...demoAnswers(), ...changes });
}

const GOV_ACCOUNT = '123456789012';
/** Structural toggles of the module, each as answers. */
export const VARIANTS: Record<string, Answers> = {
  demo: {},
  'existing cluster': { ecs_cluster_id: `arn:aws:ecs:us-east-1:${GOV_ACCOUNT}:cluster/shared` },
  'no api key': { api_basic_auth: false },
  'public ip': { with_public_ip: true },
  'open access list': { access_list_cidr_blocks: [] },
  'private only': { enable_api_gateway: false, api_basic_auth: false, access_list_cidr_blocks: [] },
  'shared execution role, RDS-managed secret': {
    fargate_execution_role_arn: `arn:aws:iam::${GOV_ACCOUNT}:role/metaflow-dev-ecs-execution`,
    database_password_secret_manager_arn: `arn:aws:secretsmanager:us-east-1:${GOV_ACCOUNT}:secret:rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf`,
    database_password_secret_key: 'password',
  },
  govcloud: {
    aws_region: 'us-gov-west-1',
    iam_partition: 'aws-us-gov',
    is_gov: true,
    rds_master_instance_endpoint: 'metaflow-gov.c1a2b3c4d5e6.us-gov-west-1.rds.amazonaws.com:5432',
    database_password_secret_manager_arn: `arn:aws-us-gov:secretsmanager:us-gov-west-1:${GOV_ACCOUNT}:secret:metaflow-db-AbCdEf`,
    fargate_execution_role_arn: `arn:aws-us-gov:iam::${GOV_ACCOUNT}:role/metaflow-ecs-execution`,
    s3_bucket_arn: 'arn:aws-us-gov:s3:::metaflow-gov-datastore',
    datastore_s3_bucket_kms_key_arn: `arn:aws-us-gov:kms:us-gov-west-1:${GOV_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  },
};

export function renderVariant(changes: Answers = {}): Map<string, FileContent> {
  return render(variant(changes), { version: '0.0.0-test' });
}

/** A generated text file (throws for a missing file or a binary artifact). */
export function textOf(files: ReadonlyMap<string, FileContent>, path: string): string {
  const contents = files.get(path);
  if (typeof contents !== 'string') throw new Error(`${path}: ${contents === undefined ? 'not generated' : 'not a text file'}`);
  return contents;
}

export type Json = any; // parsed HCL in HashiCorp's JSON form

export async function parseHcl(name: string, source: string): Promise<Json> {
  return parse(name, source);
}

export async function formatHcl(source: string): Promise<string> {
  return format(source);
}

/**
 * The literal text of a parsed HCL string (JSON form: `$${` and `%%{` stand for
 * literal `${` and `%{`). Throws when the string holds a live template sequence.
 */
export function literal(json: unknown): string {
  if (typeof json !== 'string') throw new Error(`expected a string, got ${JSON.stringify(json)}`);
  for (let i = 0; i < json.length - 1; i++) {
    const two = json.slice(i, i + 2);
    if (two === '$$' || two === '%%') {
      if (json[i + 2] === '{') {
        i += 2;
        continue;
      }
    }
    if (two === '${' || two === '%{') throw new Error(`live template sequence at ${i} in ${JSON.stringify(json)}`);
  }
  return json.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The first (only) block of a labelled type, e.g. resource("aws_lb", "this"). */
export function block(parsed: Json, kind: string, ...labels: string[]): Json {
  let node = parsed[kind];
  for (const label of labels) {
    if (node === undefined) return undefined;
    node = node[label];
  }
  return Array.isArray(node) ? node[0] : node;
}

/** Merge every .tf file of a directory into one parsed structure by block kind. */
export async function parseModule(files: ReadonlyMap<string, FileContent>, dir = ''): Promise<Json> {
  const merged: Json = {};
  for (const [path, source] of files) {
    if (typeof source !== 'string') continue;
    const inDir = dir === '' ? !path.includes('/') : path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes('/');
    if (!inDir || !path.endsWith('.tf')) continue;
    const parsed = await parseHcl(path, source);
    for (const [kind, value] of Object.entries(parsed)) {
      if (Array.isArray(value)) merged[kind] = [...(merged[kind] ?? []), ...value];
      else if (typeof value === 'object' && value !== null) {
        merged[kind] ??= {};
        for (const [k, v] of Object.entries(value)) {
          if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof merged[kind][k] === 'object') Object.assign(merged[kind][k], v);
          else merged[kind][k] = v;
        }
      }
    }
  }
  return merged;
}

/**
 * Whether a Terraform version constraint (`>= 1.9, != 1.15.0`, as in
 * required_version) allows a version: Terraform's operators, versions compared
 * segment by segment with missing segments as 0. Unknown syntax throws.
 */
export function constraintAllows(version: string, constraint: string): boolean {
  const parse = (v: string): number[] => {
    if (!/^\d+(\.\d+){0,2}$/.test(v)) throw new Error(`not a version: ${JSON.stringify(v)}`);
    return [...v.split('.').map(Number), 0, 0].slice(0, 3);
  };
  const compare = (a: number[], b: number[]): number => a.map((x, i) => x - (b[i] as number)).find((d) => d !== 0) ?? 0;
  const have = parse(version);
  return constraint.split(',').every((part) => {
    const m = /^\s*(>=|<=|!=|>|<|=)?\s*(\S+)\s*$/.exec(part);
    if (!m) throw new Error(`not a version constraint: ${JSON.stringify(part)}`);
    const d = compare(have, parse(m[2] as string));
    switch (m[1] ?? '=') {
      case '>=': return d >= 0;
      case '<=': return d <= 0;
      case '>': return d > 0;
      case '<': return d < 0;
      case '!=': return d !== 0;
      default: return d === 0;
    }
  });
}

/** A `uses:` line of a workflow: the action, the commit it is pinned to, and the release named after it. */
export interface PinnedUse {
  action: string;
  sha: string;
  version: string;
}

/**
 * Every `uses:` of a GitHub workflow, read from its raw lines (YAML drops the
 * comments that name the release). Throws for a `uses:` that is not
 * `owner/repo@<40 hex digits> # vX.Y.Z`, and when the lines do not account for
 * exactly the `uses` values the YAML parser finds (steps and jobs).
 */
export function pinnedUses(text: string, parsed: Json): PinnedUse[] {
  const found: PinnedUse[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!/^\s*(?:-\s+)?uses\s*:/.test(line)) continue;
    const m = /^\s*(?:-\s+)?uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not "uses: owner/repo@<40-hex commit> # vX.Y.Z": ${line.trim()}`);
    found.push({ action: m[1] as string, sha: m[2] as string, version: m[3] as string });
  }
  const values: string[] = [];
  for (const job of Object.values<Json>(parsed.jobs ?? {})) {
    if (job.uses) values.push(job.uses);
    for (const step of job.steps ?? []) if (step.uses !== undefined) values.push(step.uses);
  }
  const fromLines = found.map((u) => `${u.action}@${u.sha}`);
  if (JSON.stringify(fromLines) !== JSON.stringify(values)) throw new Error(`the uses: lines ${JSON.stringify(fromLines)} are not the parsed uses ${JSON.stringify(values)}`);
  return found;
}

const made: string[] = [];
let cleanupRegistered = false;
/**
 * A new directory in the system's temporary folder, removed when this test
 * process exits (each test file runs in its own process), whatever the test's
 * outcome: `npm test` leaves nothing behind there.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mfmd-${prefix}`));
  made.push(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.on('exit', () => {
      for (const path of made) rmSync(path, { recursive: true, force: true, maxRetries: 3 });
    });
  }
  return dir;
}
