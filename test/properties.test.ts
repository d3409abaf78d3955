// Property-based tests. Every input's validator: generated valid values are
// accepted; generated near-misses are refused with a message naming the field;
// arbitrary values (unicode, control characters, very long) never throw.
// Rendering: whatever validation lets through comes back from HashiCorp's
// parser exactly, and rendering is a pure function of the answers.
//
// Fixed seed and 3 000 cases per property by default (the suite's time budget); for more:
//   FC_RUNS=200000 FC_SEED=$RANDOM npm run test:props
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { complete, fieldProblem, normalise } from '../src/lib/intake/answers.js';
import { INPUTS, type Answers, type Input, type Value } from '../src/lib/inputs/catalogue.js';
import { hclString } from '../src/lib/render/hcl.js';
import { render, type FileContent } from '../src/lib/render/render.js';
import * as v from '../src/lib/inputs/validators.js';
import { ADOPTABLE } from '../src/lib/adopt/terraform-aws-metaflow.js';
import { ROOT, literal, parseHcl, textOf, variant } from './helpers.js';

const RUNS = Number(process.env.FC_RUNS ?? 3_000);
const SEED = Number(process.env.FC_SEED ?? 20261126);
const settings = { numRuns: RUNS, seed: SEED, endOnFailure: true };
const ROUND_TRIP_RUNS = Math.max(200, Math.floor(RUNS / 5));

// ---------------------------------------------------------------------------
// Building blocks

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength });
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const octet = fc.integer({ min: 0, max: 255 });
const account = chars(DIGITS, 12, 12);
/** Real regions of the aws partition (the AWS SDK's list the validator checks against). */
const regionArb = fc.constantFrom(...v.REGIONS.aws);
/** Region-shaped names that are no region: what the old pattern check let through. */
const fakeRegionArb = fc
  .tuple(fc.constantFrom('us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'), chars(LOWER, 3, 12), fc.integer({ min: 1, max: 15 }))
  .map(([a, b, n]) => `${a}-${b}-${n}`)
  .filter((r) => !v.ALL_REGIONS.includes(r));
const uuid = fc.uuid().map((u) => u.toLowerCase());
const label = fc
  .tuple(chars(LOWER + DIGITS, 1, 1), chars(LOWER + DIGITS + '-', 0, 20), chars(LOWER + DIGITS, 1, 1))
  .map(([a, b, c]) => `${a}${b}${c}`);
const cidrArb = fc.tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, bits]) => {
  const n = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${bits}`;
});
const TAG_ALPHABET = 'abcXYZ019 _.:/=+-@éüñ名前ß';
const tagKey = chars(TAG_ALPHABET, 1, 128).filter((k) => !/^aws:/i.test(k));
const tagValue = chars(TAG_ALPHABET, 0, 256);

/** Arbitrary JSON-ish values of any shape, with hostile strings. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '$', '{', '}', '%', '\n', '\r', '\t', '\u0000', 'a', ':', '/', '-'), maxLength: 60 }),
  // Very long text, built cheaply by repetition.
  fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.integer({ min: 700, max: 3000 })).map(([s, n]) => s.repeat(n)),
);
const anything: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 5 }),
);

function arbitraryOfType(input: Input): fc.Arbitrary<Value> {
  switch (input.type) {
    case 'string':
      return input.default === null ? fc.option(hostileString, { nil: null }) : hostileString;
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -1e6, max: 1e6 }));
    case 'bool':
      return fc.boolean();
    case 'list(string)':
      return fc.array(hostileString, { maxLength: 8 });
    case 'map(string)':
      return fc.dictionary(hostileString, hostileString, { maxKeys: 60 });
  }
}

// ---------------------------------------------------------------------------
// Per input: valid values, near-misses, and the answers they are judged with

interface Spec {
  valid: fc.Arbitrary<Value>;
  nearMiss: fc.Arbitrary<Value>;
  context?: Answers;
}

const withPartition = (partition: v.Partition) => ({ iam_partition: partition });
const arnSpec = (build: (partition: string, region: string) => fc.Arbitrary<string>, wrongService: string): Spec => ({
  valid: regionArb.chain((region) => build('aws', region)),
  nearMiss: fc.oneof(
    regionArb.chain((region) => build('aws-us-gov', region)), // wrong partition for iam_partition = aws
    regionArb.chain((region) => build('aws', region)).map((arn) => arn.replace(/^arn:aws:[a-z0-9-]+:/, `arn:aws:${wrongService}:`)),
    regionArb.chain((region) => build('aws', region)).map((arn) => arn.replace(/^arn:/, 'arm:')),
    regionArb.chain((region) => build('aws', region)).map((arn) => `${arn}"`),
  ),
  context: withPartition('aws'),
});

/** A module call's name: a letter or _, then letters, digits, _ and -. */
const callName = fc.tuple(chars(LOWER + '_', 1, 1), chars(LOWER + DIGITS + '_-', 0, 24)).map(([a, b]) => `${a}${b}`);

const SPECS: Record<string, Spec> = {
  adopt_from: {
    valid: fc.constantFrom(...ADOPTABLE),
    nearMiss: fc.oneof(fc.constant('terraform-aws-metaflow-v0.12.1'), fc.constant('Terraform-AWS-Metaflow'), fc.constant('metaflow'), label.filter((l) => !(ADOPTABLE as readonly string[]).includes(l))),
  },
  adopt_module_address: {
    valid: fc.oneof(
      fc.array(callName, { minLength: 1, maxLength: 3 }).map((names) => names.map((n) => `module.${n}`).join('.')),
      fc.tuple(callName, fc.nat(20), callName).map(([a, i, b]) => `module.${a}[${i}].module.${b}`),
      fc.tuple(callName, label).map(([a, key]) => `module.${a}["${key}"]`),
    ),
    nearMiss: fc.oneof(
      callName.map((n) => `module.${n}.`),
      callName,
      callName.map((n) => `module.${n}.aws_lb.this`),
      callName.map((n) => `module.${n}["a b"]`),
      callName.map((n) => `module.9${n}`),
      fc.constant(''),
    ),
    context: { adopt_from: 'terraform-aws-metaflow' },
  },
  aws_region: {
    valid: regionArb,
    nearMiss: fc.oneof(
      regionArb.map((r) => r.toUpperCase()),
      regionArb.map((r) => r.replace(/-\d+$/, '')),
      regionArb.map((r) => `${r} `),
      fakeRegionArb,
      fc.constantFrom(...v.REGIONS['aws-us-gov'], ...v.REGIONS['aws-cn']), // another partition than iam_partition
    ),
    context: withPartition('aws'),
  },
  iam_partition: { valid: fc.constantFrom(...v.PARTITIONS), nearMiss: fc.constantFrom('aws-iso', 'AWS', 'aws ', 'gov', '') },
  is_gov: { valid: fc.constant(true), nearMiss: fc.constant(false), context: withPartition('aws-us-gov') },
  resource_prefix: {
    valid: label.filter((l) => l.length <= 20),
    nearMiss: fc.oneof(label.map((l) => `${l}-`), label.map((l) => l.toUpperCase() + 'A'), label.map((l) => `${l}_x`), fc.constant('a'.repeat(v.AFFIX_MAX_COMBINED))),
    context: { resource_suffix: 'dev' },
  },
  resource_suffix: {
    valid: label.filter((l) => l.length <= 20),
    nearMiss: fc.oneof(label.map((l) => `-${l}`), label.map((l) => `${l}.`), label.map((l) => `${l} `), fc.constant('a'.repeat(v.AFFIX_MAX_COMBINED - 1))),
    context: { resource_prefix: 'mf' },
  },
  metaflow_vpc_id: {
    valid: fc.oneof(chars(HEX, 8, 8), chars(HEX, 17, 17)).map((h) => `vpc-${h}`),
    nearMiss: fc.oneof(
      fc.oneof(chars(HEX, 7, 7), chars(HEX, 9, 16), chars(HEX, 18, 20)).map((h) => `vpc-${h}`),
      chars(HEX, 8, 8).map((h) => `vpc-${h.slice(0, 7)}G`),
      chars(HEX, 8, 8).map((h) => `subnet-${h}`),
    ),
  },
  subnet1_id: {
    valid: fc.oneof(chars(HEX, 8, 8), chars(HEX, 17, 17)).map((h) => `subnet-${h}`),
    nearMiss: fc.oneof(chars(HEX, 9, 16).map((h) => `subnet-${h}`), chars(HEX, 8, 8).map((h) => `subnet-${h.toUpperCase()}X`), chars(HEX, 8, 8).map((h) => `vpc-${h}`)),
  },
  subnet2_id: {
    valid: chars(HEX, 17, 17).map((h) => `subnet-${h}`).filter((s) => s !== 'subnet-0123456789abcdef0'),
    nearMiss: fc.oneof(fc.constant('subnet-0123456789abcdef0'), chars(HEX, 10, 12).map((h) => `subnet-${h}`)),
    context: { subnet1_id: 'subnet-0123456789abcdef0' },
  },
  vpc_cidr_blocks: {
    valid: fc.uniqueArray(cidrArb, { minLength: 1, maxLength: 5 }),
    nearMiss: fc.oneof(
      fc.constant([] as string[]),
      cidrArb.filter((c) => !c.endsWith('/32')).map((c) => [c.replace(/\.(\d+)\//, (_, d) => `.${Number(d) | 1}/`)]).filter(([c]) => v.cidr(c as string) !== undefined),
      cidrArb.map((c) => [c, c]),
      cidrArb.map((c) => [c.replace(/\/\d+$/, '/33')]),
    ),
  },
  access_list_cidr_blocks: {
    valid: fc.uniqueArray(cidrArb, { maxLength: 5 }),
    nearMiss: fc.oneof(cidrArb.map((c) => [c, c]), cidrArb.map((c) => [c.replace('/', '\\')]), octet.map((o) => [`${o + 256}.0.0.0/8`])),
  },
  rds_master_instance_endpoint: {
    valid: fc.tuple(fc.array(label, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 65535 })).map(([labels, port]) => `${labels.join('.')}z:${port}`),
    nearMiss: fc.oneof(
      fc.tuple(label, fc.integer({ min: 65536, max: 999_999 })).map(([h, p]) => `${h}:${p}`),
      label.map((h) => `${h}:0`),
      label.map((h) => h),
      label.map((h) => `-${h}:5432`),
    ),
  },
  database_name: {
    valid: fc.tuple(chars(`${LOWER}_ABC`, 1, 1), chars(`${LOWER}${DIGITS}_$XYZ`, 0, 62)).map(([a, b]) => a + b),
    nearMiss: fc.oneof(chars(LOWER, 1, 10).map((s) => `1${s}`), chars(LOWER, 64, 80), chars(LOWER, 1, 10).map((s) => `${s}-x`), chars(LOWER, 1, 10).map((s) => `${s}"`)),
  },
  database_username: {
    valid: fc.tuple(chars(`${LOWER}_`, 1, 1), chars(`${LOWER}${DIGITS}_`, 0, 62)).map(([a, b]) => a + b),
    nearMiss: fc.oneof(chars(LOWER, 1, 10).map((s) => `${s} x`), fc.constant(''), chars(LOWER, 1, 10).map((s) => `${s}\${x}`)),
  },
  database_password_secret_manager_arn: (() => {
    const spec = arnSpec(
      (p, r) => fc.tuple(account, chars(`${LOWER}${DIGITS}/_+=.@-`, 1, 40), chars('ABCDEFabcdef0123456789', 6, 6)).map(([acct, name, s]) => `arn:${p}:secretsmanager:${r}:${acct}:secret:${name}-${s}`),
      'ssm',
    );
    // Partial ARNs: the name without the "-" and 6 characters Secrets Manager appends.
    const partial = fc.tuple(regionArb, account, chars(`${LOWER}${DIGITS}/_+=.@`, 1, 40)).map(([r, acct, name]) => `arn:aws:secretsmanager:${r}:${acct}:secret:${name}`);
    return { ...spec, nearMiss: fc.oneof(spec.nearMiss, partial) };
  })(),
  metadata_service_container_image: {
    valid: fc
      .tuple(fc.option(fc.constantFrom('ghcr.io/', '123456789012.dkr.ecr.us-east-1.amazonaws.com/', 'localhost:5000/'), { nil: '' }), fc.array(label, { minLength: 1, maxLength: 3 }), fc.oneof(chars(`${LOWER}${DIGITS}.-_`, 1, 20).map((t) => `:v${t}`), chars(HEX, 64, 64).map((d) => `@sha256:${d}`)))
      .map(([registry, path, ref]) => `${registry}${path.join('/')}${ref}`),
    nearMiss: fc.oneof(fc.array(label, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')), label.map((l) => `${l}:latest`), label.map((l) => `${l.toUpperCase()}X:1`), chars(HEX, 10, 63).map((d) => `md@sha256:${d}`)),
  },
  metadata_service_cpu: {
    valid: fc.constantFrom(...v.FARGATE_SIZES.keys()),
    nearMiss: fc.integer({ min: -10, max: 20_000 }).filter((n) => !v.FARGATE_SIZES.has(n)),
  },
  metadata_service_memory: {
    valid: fc.constantFrom(...v.FARGATE_SIZES.get(1024)!),
    nearMiss: fc.integer({ min: 0, max: 20_000 }).filter((n) => !v.FARGATE_SIZES.get(1024)!.includes(n)),
    context: { metadata_service_cpu: 1024 },
  },
  fargate_execution_role_arn: arnSpec(
    (p) => fc.tuple(account, fc.array(chars(`${LOWER}${DIGITS}+=,.@_-`, 1, 20), { minLength: 1, maxLength: 3 })).map(([acct, parts]) => `arn:${p}:iam::${acct}:role/${parts.join('/')}`),
    'sts',
  ),
  ecs_cluster_id: (() => {
    // Judged with the region and the execution role's account it must match.
    const [here, acct] = ['us-east-1', '123456789012'];
    const spec = arnSpec((p, r) => fc.tuple(account, chars(`${LOWER}${DIGITS}_-`, 1, 40)).map(([a, name]) => `arn:${p}:ecs:${r}:${a}:cluster/${name}`), 'eks');
    const name = chars(`${LOWER}${DIGITS}_-`, 1, 40);
    return {
      valid: name.map((n) => `arn:aws:ecs:${here}:${acct}:cluster/${n}`),
      nearMiss: fc.oneof(
        spec.nearMiss,
        fc.tuple(regionArb.filter((r) => r !== here), name).map(([r, n]) => `arn:aws:ecs:${r}:${acct}:cluster/${n}`),
        fc.tuple(account.filter((a) => a !== acct), name).map(([a, n]) => `arn:aws:ecs:${here}:${a}:cluster/${n}`),
      ),
      context: { ...spec.context, aws_region: here, fargate_execution_role_arn: `arn:aws:iam::${acct}:role/ecs-execution` },
    };
  })(),
  database_password_secret_key: {
    valid: chars(`${LOWER}ABC${DIGITS}_.-`, 1, 255),
    nearMiss: fc.oneof(fc.constant(''), chars(`${LOWER}${DIGITS}`, 0, 10).map((k) => `${k}:x`), chars(LOWER, 0, 10).map((k) => `${k}"`), chars(LOWER, 256, 300)),
  },
  database_cidr_blocks: {
    valid: fc.uniqueArray(cidrArb, { maxLength: 5 }),
    nearMiss: fc.oneof(cidrArb.map((c) => [c, c]), cidrArb.map((c) => [c.replace(/\/\d+$/, '/33')]), octet.map((o) => [`10.${o + 256}.0.0/16`])),
  },
  database_security_group_id: {
    valid: fc.oneof(chars(HEX, 8, 8), chars(HEX, 17, 17)).map((h) => `sg-${h}`),
    nearMiss: fc.oneof(chars(HEX, 9, 16).map((h) => `sg-${h}`), chars(HEX, 8, 8).map((h) => `sg-${h.toUpperCase()}X`), fc.tuple(account, chars(HEX, 17, 17)).map(([a, h]) => `${a}/sg-${h}`), chars(HEX, 17, 17).map((h) => `vpc-${h}`)),
  },
  database_ssl_mode: { valid: fc.constantFrom(...v.SSL_MODES), nearMiss: fc.constantFrom('required', 'REQUIRE', 'on', 'true', '', 'verify_full') },
  database_ssl_root_cert_path: {
    valid: fc.array(chars(`${LOWER}ABC${DIGITS}._-`, 1, 30), { minLength: 1, maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
    nearMiss: fc.oneof(
      fc.constant(''),
      chars(`${LOWER}${DIGITS}./`, 1, 30).filter((path) => !path.startsWith('/')),
      fc.tuple(chars(LOWER, 1, 10), fc.constantFrom(' ', '&', '?', '=', '#', '%', '"', '\\', '\n', ':', '$')).map(([name, bad]) => `/${name}${bad}pem`),
    ),
  },
  metadata_service_min_count: {
    valid: fc.integer({ min: 1, max: v.TASKS_MAX }),
    nearMiss: fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: v.TASKS_MAX + 1, max: 10_000 }), fc.double({ min: 1.01, max: 49.99, noNaN: true }).filter((n) => !Number.isInteger(n))),
  },
  metadata_service_max_count: {
    valid: fc.integer({ min: 3, max: v.TASKS_MAX }),
    nearMiss: fc.oneof(fc.integer({ min: 1, max: 2 }), fc.integer({ min: v.TASKS_MAX + 1, max: 10_000 })),
    context: { metadata_service_min_count: 3 },
  },
  metadata_service_cpu_target: { valid: fc.integer({ min: 10, max: 90 }), nearMiss: fc.oneof(fc.integer({ min: -10, max: 9 }), fc.integer({ min: 91, max: 1000 })) },
  log_retention_days: {
    valid: fc.constantFrom(...v.LOG_RETENTION_DAYS),
    nearMiss: fc.integer({ min: -10, max: 5000 }).filter((n) => !(v.LOG_RETENTION_DAYS as readonly number[]).includes(n)),
  },
  api_throttle_rate_limit: {
    valid: fc.integer({ min: 1, max: v.API_RATE_MAX }),
    nearMiss: fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: v.API_RATE_MAX + 1, max: 1_000_000 }), fc.double({ min: 1.01, max: 9999.99, noNaN: true }).filter((n) => !Number.isInteger(n))),
  },
  api_throttle_burst_limit: {
    valid: fc.integer({ min: 1, max: v.API_BURST_MAX }),
    nearMiss: fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: v.API_BURST_MAX + 1, max: 1_000_000 }), fc.double({ min: 1.01, max: 4999.99, noNaN: true }).filter((n) => !Number.isInteger(n))),
  },
  api_quota_limit: {
    valid: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 2 ** 31 })),
    nearMiss: fc.oneof(fc.integer({ min: -1000, max: 0 }), fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n))),
  },
  api_quota_period: { valid: fc.constantFrom(...v.QUOTA_PERIODS), nearMiss: fc.constantFrom('day', 'YEAR', 'HOUR', '', 'MONTHS') },
  s3_bucket_arn: arnSpec((p) => label.filter((l) => l.length >= 3 && l.length <= 63).map((name) => `arn:${p}:s3:::${name}`), 's3express'),
  datastore_s3_bucket_kms_key_arn: arnSpec((p, r) => fc.tuple(account, uuid).map(([acct, id]) => `arn:${p}:kms:${r}:${acct}:key/${id}`), 'kinesis'),
  standard_tags: {
    valid: fc.dictionary(tagKey, tagValue, { maxKeys: 50 }),
    nearMiss: fc.oneof(
      fc.tuple(tagKey, tagValue, fc.constantFrom('"', '$', '{', '}', '\n', '#', '\\', '*', '<')).map(([k, val, bad]) => ({ [k]: `${val}${bad}` })),
      tagValue.map((val) => ({ 'aws:team': val })),
      fc.tuple(chars('abc', 129, 140), tagValue).map(([k, val]) => ({ [k]: val })),
      fc.dictionary(tagKey, tagValue, { minKeys: 51, maxKeys: 55 }).filter((d) => Object.keys(d).length > 50),
    ),
  },
};

const validated = INPUTS.filter((input) => input.type !== 'bool' || input.name === 'is_gov');

describe(`validators (seed ${SEED}, ${RUNS} cases per property)`, () => {
  it('every validated input has a property spec', () => {
    assert.deepEqual(validated.map((i) => i.name).filter((n) => !SPECS[n]), []);
  });
  for (const input of validated) {
    const spec = SPECS[input.name]!;
    const context = (value: Value): Answers => ({ ...spec.context, [input.name]: value });
    const call = (value: unknown, answers: Answers) => (input.validate as (value: unknown, answers: Answers) => v.Problem)(value, answers);

    it(`${input.name}: valid values are accepted`, () => {
      fc.assert(
        fc.property(spec.valid, (value) => {
          assert.equal(fieldProblem(input, value, context(value)), undefined, JSON.stringify(value));
        }),
        settings,
      );
    });
    it(`${input.name}: near-misses are refused, naming the field`, () => {
      fc.assert(
        fc.property(spec.nearMiss, (value) => {
          const problem = fieldProblem(input, value, context(value));
          assert.equal(typeof problem, 'string', `accepted ${JSON.stringify(value)}`);
          assert.ok(problem!.startsWith(`${input.name}: `), problem);
        }),
        settings,
      );
    });
    it(`${input.name}: arbitrary values of its type never make the validator throw`, () => {
      fc.assert(
        fc.property(arbitraryOfType(input), (value) => {
          const problem = call(value, context(value));
          assert.ok(problem === undefined || typeof problem === 'string');
          if (typeof problem === 'string') assert.ok(problem.length < 2000, 'messages stay short');
        }),
        settings,
      );
    });
    it(`${input.name}: values of any type get an answer, never an exception`, () => {
      fc.assert(
        fc.property(anything, (value) => {
          const problem = fieldProblem(input, value as Value, {});
          assert.ok(problem === undefined || problem.startsWith(`${input.name}: `));
        }),
        settings,
      );
    });
  }
});

// ---------------------------------------------------------------------------
// Rendering

/** Parse many strings in one go: one attribute per string. */
async function roundTrip(values: readonly string[]): Promise<string[]> {
  const source = values.map((value, i) => `v${i} = ${hclString(value)}\n`).join('');
  const parsed = await parseHcl('batch.tfvars', source);
  return values.map((_, i) => literal(parsed[`v${i}`]));
}

describe('rendering', () => {
  it(`hclString round-trips arbitrary text through HashiCorp's parser (${ROUND_TRIP_RUNS * 50} strings)`, async () => {
    // Lone surrogates cannot be written as UTF-8; HCL reads every literal in NFC.
    const expected = (s: string) => s.replace(/[\ud800-\udfff]/gu, (c) => (c.length === 1 ? '\ufffd' : c)).normalize('NFC');
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString.filter((s) => s.length < 2000), { minLength: 50, maxLength: 50 }), async (values) => {
        const back = await roundTrip(values);
        back.forEach((text, i) => assert.equal(text, expected(values[i] as string)));
      }),
      { ...settings, numRuns: ROUND_TRIP_RUNS },
    );
  });

  it('whatever validation lets through reaches terraform.tfvars unchanged and unevaluated', async () => {
    const base = variant();
    await fc.assert(
      fc.asyncProperty(
        SPECS.standard_tags!.valid,
        SPECS.database_username!.valid,
        SPECS.metadata_service_container_image!.valid,
        SPECS.rds_master_instance_endpoint!.valid,
        async (tags, user, image, endpoint) => {
          const answers = complete({ ...base, standard_tags: tags, database_username: user, metadata_service_container_image: image, rds_master_instance_endpoint: endpoint });
          const tfvars = await parseHcl('t.tfvars', textOf(render(answers, { version: 'p' }), 'examples/complete/terraform.tfvars'));
          const backTags = Object.fromEntries(Object.entries<unknown>(tfvars.standard_tags).map(([k, val]) => [literal(k), literal(val)]));
          assert.deepEqual(backTags, { ...(normalise(tags) as Record<string, string>) });
          assert.equal(literal(tfvars.database_username), user);
          assert.equal(literal(tfvars.metadata_service_container_image), image);
          assert.equal(literal(tfvars.rds_master_instance_endpoint), endpoint);
        },
      ),
      { ...settings, numRuns: Math.max(100, Math.floor(RUNS / 20)) },
    );
  });
});

describe('determinism', () => {
  const digestOf = (files: Map<string, FileContent>) => createHash('sha256').update(JSON.stringify([...files])).digest('hex');

  it('the same answers give the same bytes, whatever order the keys came in', () => {
    const answers = variant({ standard_tags: { zeta: '1', alpha: '2', mid: '3' } });
    const reversed = Object.fromEntries(Object.entries(answers).reverse()) as Answers;
    reversed.standard_tags = Object.fromEntries(Object.entries(answers.standard_tags as Record<string, string>).reverse());
    const first = render(answers, { version: '1.2.3' });
    assert.equal(digestOf(render(answers, { version: '1.2.3' })), digestOf(first));
    assert.equal(digestOf(render(variant(reversed), { version: '1.2.3' })), digestOf(first));
    assert.deepEqual([...first.keys()], [...first.keys()].sort(), 'files in path order');
  });

  it('does not depend on the clock, time zone, locale or working directory', () => {
    const script = `
      import { render } from './src/lib/render/render.ts';
      import { complete } from './src/lib/intake/answers.ts';
      import { readFileSync } from 'node:fs';
      import { createHash } from 'node:crypto';
      process.chdir('/');
      const answers = complete(JSON.parse(readFileSync(${JSON.stringify(`${ROOT}/examples/answers.demo.json`)}, 'utf8')));
      process.stdout.write(createHash('sha256').update(JSON.stringify([...render(answers, { version: '1.2.3' })])).digest('hex'));
    `;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const a = run({ TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    const b = run({ TZ: 'America/Anchorage', LANG: 'C', LC_ALL: 'C' });
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.stdout, a.stdout);
    assert.equal(a.stdout, digestOf(render(variant(), { version: '1.2.3' })));
  });

  it('the version is the only other input: it appears in the README and CHANGELOG and nowhere else', () => {
    const one = render(variant(), { version: '1.0.0' });
    const two = render(variant(), { version: '2.0.0' });
    const differing = [...one.keys()].filter((path) => !Buffer.from(one.get(path)!).equals(Buffer.from(two.get(path)!)));
    assert.deepEqual(differing, ['CHANGELOG.md', 'README.md']);
  });
});

