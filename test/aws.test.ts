// Discovery at the prompts and --preflight, against a fake AWS on 127.0.0.1
// (test/fake-aws.ts) that the real SDK clients reach through AWS_ENDPOINT_URL:
// the bin (--preflight, passing and failing answers, no credentials, an expired
// SSO session, a profile in another region), the checks with a call refused or
// throttled, the run's questions with pick-lists (lib/run.ts through a
// terminal that asks them as the prompts do, and the Yeoman generator through
// yeoman-test), and last, every request the fake received compared with the
// README's policy. One fake server for the whole file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Aws } from '../src/lib/aws/clients.js';
import { preflight, type Finding } from '../src/lib/aws/preflight.js';
import { storable, toText } from '../src/lib/intake/answers.js';
import type { Question } from '../src/lib/intake/prompts.js';
import { INPUT_BY_NAME, type Answers } from '../src/lib/inputs/catalogue.js';
import { run, type Terminal } from '../src/lib/run.js';
import { CLUSTER_ARN, DB_HOST, DISABLED_KEY_ARN, KEY_ARN, LAMBDA_ROLE_ARN, RDS_SECRET_ARN, SECRET_ARN, SUBNETS, VPC, fakeAwsEnv, startFakeAws, type FakeAws } from './fake-aws.js';
import { ROOT, demoAnswers, tempDir, variant } from './helpers.js';
import { helpers, result } from './yeoman.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
const GENERATOR = join(ROOT, 'generators', 'app', 'index.js');

let fake: FakeAws;
/** Secret values of the fake account: never printed, whatever is checked. */
const SECRET_VALUES = ['s3cr3t-do-not-print', 'not-json-p4ssw0rd', 'hunter2-do-not-print'];

before(async () => {
  fake = await startFakeAws();
  Object.assign(process.env, fakeAwsEnv(fake));
});
after(async () => {
  await fake.close();
});

/** The demo answers on the fake account, with the image in the fake's own registry. */
const passing = (): Answers => ({ ...demoAnswers(), metadata_service_container_image: `${fake.host}/netflixoss/metaflow_metadata_service:v2.4.12` });

/** The bin, asynchronously (the fake answers in this process), with no terminal. */
function bin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function answersFile(answers: Answers): { dir: string; file: string } {
  const dir = tempDir('preflight-');
  const file = join(dir, 'answers.json');
  writeFileSync(file, JSON.stringify(answers));
  return { dir, file };
}

const findingOf = (findings: readonly Finding[], answer: string, level?: Finding['level']): Finding | undefined => findings.find((f) => f.answer === answer && (!level || f.level === level));

describe('--preflight (the bin)', () => {
  it('passes the demo answers on an account that has them: exit 0, every check ok, nothing written, no secret printed', async () => {
    const { dir, file } = answersFile(passing());
    const out = await bin(['--preflight', '--answers', file, '--read-secret'], dir);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    assert.match(out.stdout, /^Preflight: the answers checked against AWS account 123456789012 \(arn:aws:iam::123456789012:user\/dev\) in us-east-1, read-only$/m);
    for (const answer of ['metaflow_vpc_id', 'subnet1_id', 'subnet2_id', 'database_password_secret_manager_arn', 'datastore_s3_bucket_kms_key_arn', 's3_bucket_arn', 'rds_master_instance_endpoint', 'metadata_service_container_image']) {
      assert.match(out.stdout, new RegExp(`^  ok +${answer}: `, 'm'), answer);
    }
    assert.match(out.stdout, /preflight: 10 ok, 0 blocking, 0 warnings, 0 skipped: nothing blocks\./);
    for (const value of SECRET_VALUES) assert.ok(!out.stdout.includes(value) && !out.stderr.includes(value), 'a secret value was printed');
    assert.deepEqual(readdirSync(dir), ['answers.json'], 'nothing written');
  });

  it('fails a set AWS would refuse at apply: exit 1, each finding naming the answer, what AWS said and the fix', async () => {
    const { dir, file } = answersFile({
      ...passing(),
      subnet2_id: SUBNETS.privateA2, // the zone of subnet1_id
      rds_master_instance_endpoint: 'closed.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:5432', // admits only subnet1's block
      database_password_secret_manager_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf',
      datastore_s3_bucket_kms_key_arn: DISABLED_KEY_ARN,
      s3_bucket_arn: 'arn:aws:s3:::no-such-datastore',
      ecs_cluster_id: 'arn:aws:ecs:us-east-1:123456789012:cluster/retired',
      fargate_execution_role_arn: LAMBDA_ROLE_ARN,
      metadata_service_container_image: `${fake.host}/netflixoss/metaflow_metadata_service:v9.9.9`,
    });
    const out = await bin(['--preflight', '--answers', file], dir);
    assert.equal(out.status, 1, out.stderr + out.stdout);
    const blocking = (answer: string, said: RegExp, fix: RegExp) => {
      const match = new RegExp(`^  BLOCKING +${answer}: (.*)\\n +fix: (.*)$`, 'm').exec(out.stdout);
      assert.ok(match, `${answer} not blocking in:\n${out.stdout}`);
      assert.match(match[1] as string, said, answer);
      assert.match(match[2] as string, fix, answer);
    };
    blocking('subnet2_id', /is in us-east-1a, the zone of subnet1_id/, new RegExp(`another zone: ${SUBNETS.privateB} \\(private-b\\): us-east-1b, private`));
    blocking('database_password_secret_manager_arn', /no such secret: Secrets Manager can't find the specified secret/, /create the secret/);
    blocking('datastore_s3_bucket_kms_key_arn', /the key is Disabled/, /aws kms enable-key/);
    blocking('s3_bucket_arn', /no bucket named no-such-datastore/, /create the bucket/);
    blocking('ecs_cluster_id', /the cluster is INACTIVE, not ACTIVE/, /leave ecs_cluster_id empty/);
    blocking('fargate_execution_role_arn', /does not trust ecs-tasks\.amazonaws\.com/, /sts:AssumeRole/);
    blocking('database_security_group_id', /do not admit TCP 5432 from 10\.20\.3\.0\/24 \(subnet-0aaaaaaaaaaaaaaa2\), where the tasks run/, /database_security_group_id = sg-0db0000000000000b/);
    blocking('metadata_service_container_image', /has no netflixoss\/metaflow_metadata_service:v9\.9\.9 \(HTTP 404\)/, /correct the image reference/);
    assert.match(out.stderr, /^preflight: \d+ ok, 8 blocking, .*terraform apply would fail/m);
    assert.deepEqual(readdirSync(dir), ['answers.json'], 'nothing written');
  });

  it('without credentials: one blocking finding saying how to give them, exit 1', async () => {
    const { dir, file } = answersFile(passing());
    const out = await bin(['--preflight', '--answers', file], dir, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    assert.equal(out.status, 1);
    assert.match(out.stdout, /BLOCKING +\(credentials\): nothing could be checked: CredentialsProviderError: Could not load credentials from any providers\n +fix: give credentials: --profile <name>/);
    assert.match(out.stderr, /no answer was checked/);
    assert.doesNotMatch(out.stdout + out.stderr, /\n\s+at /, 'no stack trace');
  });

  it('an expired SSO session: says to sign in again with that profile', async () => {
    const { dir, file } = answersFile(passing());
    const home = join(dir, 'home');
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      '[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.example.com/start\nsso_region = us-east-1\n',
    );
    const { createHash } = await import('node:crypto');
    writeFileSync(join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`), JSON.stringify({ startUrl: 'https://corp.example.com/start', region: 'us-east-1', accessToken: 'old', expiresAt: '2020-01-01T00:00:00Z' }));
    const out = await bin(['--preflight', '--answers', file, '--profile', 'sso-dev'], dir, { HOME: home, AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    assert.equal(out.status, 1);
    assert.match(out.stdout, /BLOCKING +\(credentials\): nothing could be checked: .*SSO.*\n +fix: sign in again: aws sso login --profile sso-dev/);
  });

  it('a profile of another region: named, and the answers\' region is the one read', async () => {
    const { dir, file } = answersFile(passing());
    const config = join(dir, 'config');
    writeFileSync(config, '[profile eu]\nregion = eu-west-1\naws_access_key_id = AKIAEUPROFILEFAKE\naws_secret_access_key = x\n');
    const before = fake.log.length;
    const out = await bin(['--preflight', '--answers', file, '--profile', 'eu'], dir, { AWS_CONFIG_FILE: config, AWS_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    assert.equal(out.status, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /warning +aws_region: your profile eu names region eu-west-1; these checks read us-east-1, the answers' region/);
    const sent = fake.log.slice(before).filter((entry) => entry.accessKeyId !== '');
    assert.ok(sent.length > 5);
    assert.ok(sent.every((entry) => entry.region === 'us-east-1' && entry.accessKeyId === 'AKIAEUPROFILEFAKE'), 'signed for us-east-1 with the profile\'s keys');
  });
});

describe('preflight: calls refused or throttled', () => {
  const noDelay = { retryStrategy: new ConfiguredRetryStrategy(3, () => 0) };
  const check = (answers: Answers, clientConfig: Record<string, unknown> = noDelay) => {
    const aws = new Aws({ region: 'us-east-1', clientConfig });
    return preflight(answers, aws, { readSecret: async () => true }).finally(() => aws.close());
  };

  it('AccessDenied on one call skips that check with a note; the others still run', async () => {
    fake.deny.add('iam:GetRole');
    fake.deny.add('ec2:DescribeSecurityGroups');
    try {
      const findings = await check({ ...passing(), fargate_execution_role_arn: LAMBDA_ROLE_ARN });
      const role = findingOf(findings, 'fargate_execution_role_arn');
      assert.equal(role?.level, 'skipped');
      assert.match(role!.said, /not checked: iam:GetRole was refused \(AccessDenied: User: .* is not authorized to perform: iam:GetRole/);
      assert.match(role!.fix!, /allow iam:GetRole/);
      assert.equal(findingOf(findings, 'rds_master_instance_endpoint', 'skipped')?.said.includes('ec2:DescribeSecurityGroups was refused (UnauthorizedOperation'), true);
      for (const answer of ['metaflow_vpc_id', 'subnet1_id', 'subnet2_id', 's3_bucket_arn', 'datastore_s3_bucket_kms_key_arn']) assert.equal(findingOf(findings, answer)?.level, 'ok', answer);
      assert.ok(!findings.some((f) => f.level === 'blocking'));
    } finally {
      fake.deny.clear();
    }
  });

  it('throttling is retried with the SDK\'s standard retry; past its attempts the check is skipped, saying so', async () => {
    const count = () => fake.log.filter((entry) => entry.action === 'kms:DescribeKey').length;
    let before = count();
    fake.throttle.set('kms:DescribeKey', 2);
    let findings = await check(passing());
    assert.equal(findingOf(findings, 'datastore_s3_bucket_kms_key_arn')?.level, 'ok');
    assert.equal(count() - before, 3, 'two throttled attempts, then the answer');
    before = count();
    fake.throttle.set('kms:DescribeKey', 5);
    findings = await check(passing());
    fake.throttle.clear();
    const key = findingOf(findings, 'datastore_s3_bucket_kms_key_arn');
    assert.equal(key?.level, 'skipped');
    assert.match(key!.said, /kms:DescribeKey was throttled \(ThrottlingException: Rate exceeded\)/);
    assert.equal(count() - before, 3, 'three attempts in all');
    assert.equal(findingOf(findings, 'metaflow_vpc_id')?.level, 'ok');
  });

  it('AWS_ENDPOINT_URL_<SERVICE> sends that service\'s calls elsewhere: an endpoint that does not answer skips its check', async () => {
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9';
    try {
      const findings = await check(passing());
      const key = findingOf(findings, 'datastore_s3_bucket_kms_key_arn');
      assert.equal(key?.level, 'skipped');
      assert.match(key!.said, /kms:DescribeKey failed \(ECONNREFUSED/);
      assert.match(key!.fix!, /AWS_ENDPOINT_URL/);
      assert.equal(findingOf(findings, 's3_bucket_arn')?.level, 'ok', 'the other services still answer');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_KMS;
    }
  });

  it('an image in ECR of the account is asked of ECR', async () => {
    const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com/metaflow/metadata';
    let findings = await check({ ...passing(), metadata_service_container_image: `${ecr}:v2.4.12` });
    assert.deepEqual(findingOf(findings, 'metadata_service_container_image'), { answer: 'metadata_service_container_image', level: 'ok', said: 'metaflow/metadata:v2.4.12 is in ECR' });
    findings = await check({ ...passing(), metadata_service_container_image: `${ecr}:v0.0.1` });
    assert.match(findingOf(findings, 'metadata_service_container_image', 'blocking')!.said, /^ECR: The image with imageId .*v0\.0\.1.* does not exist/);
  });

  it('reads a secret\'s JSON keys only with consent, and says when the key is missing', async () => {
    const jsonSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-json-Zz9Yy8';
    const reads = () => fake.log.filter((entry) => entry.action === 'secretsmanager:GetSecretValue').length;
    const before = reads();
    const aws = new Aws({ region: 'us-east-1' });
    try {
      const without = await preflight({ ...passing(), database_password_secret_manager_arn: jsonSecret, database_password_secret_key: 'password' }, aws, { readSecret: async () => false });
      assert.equal(findingOf(without, 'database_password_secret_key')?.level, 'skipped');
      assert.equal(reads(), before, 'no value read without consent');
      const withConsent = await preflight({ ...passing(), database_password_secret_manager_arn: jsonSecret, database_password_secret_key: 'password' }, aws, { readSecret: async () => true });
      const key = findingOf(withConsent, 'database_password_secret_key');
      assert.equal(key?.level, 'blocking');
      assert.equal(key?.said, 'the secret\'s JSON has no key "password" (its keys: user, pass)');
      const rds = await preflight({ ...passing(), database_password_secret_manager_arn: RDS_SECRET_ARN, database_password_secret_key: null }, aws, { readSecret: async () => true });
      assert.match(findingOf(rds, 'database_password_secret_key', 'blocking')!.said, /RDS-managed secrets hold JSON/);
      assert.equal(reads(), before + 1, 'an RDS-managed secret is known without reading it');
      for (const value of SECRET_VALUES) assert.ok(!JSON.stringify([without, withConsent, rds]).includes(value));
    } finally {
      await aws.close();
    }
  });
});

// ---------------------------------------------------------------------------
// Discovery at the prompts

interface Asked {
  name: string;
  type: Question['type'];
  message: string;
  default: unknown;
  choices?: { name: string; value: string }[];
  refused: string[];
}

/**
 * A terminal that asks the run's questions the way the prompts do (lib/intake/terminal.ts):
 * in order, each when its `when` holds, with its default and choices computed from the session,
 * an input kept until `validate` accepts it, then filtered. The script gives the answers by
 * name (a function of the question, or several attempts; at a search prompt, the text typed);
 * an unscripted question takes its default.
 */
function scripted(script: Record<string, unknown>): { terminal: Terminal; lines: string[]; asked: Asked[] } {
  const lines: string[] = [];
  const asked: Asked[] = [];
  const terminal: Terminal = {
    log: (text) => void lines.push(...text.split('\n')),
    ask: async (questions) => {
      const session: Record<string, unknown> = {};
      for (const q of questions) {
        if (!q.when(session)) continue;
        const record: Asked = {
          name: q.name,
          type: q.type,
          message: q.message,
          default: typeof q.default === 'function' ? q.default(session) : q.default,
          choices: q.type === 'search' && q.source ? q.source(undefined) : q.choices,
          refused: [],
        };
        asked.push(record);
        const given = script[q.name];
        const planned = typeof given === 'function' ? (given as (a: Asked) => unknown)(record) : given;
        const attempts = Array.isArray(planned) && (q.type === 'input' || q.type === 'search') ? [...planned] : [planned];
        let raw: unknown;
        for (;;) {
          const attempt = attempts.shift();
          raw = attempt === undefined ? record.default ?? (q.type === 'input' ? '' : undefined) : attempt;
          if (q.type === 'select' && !record.choices?.some((choice) => choice.value === raw)) throw new Error(`${q.name}: ${String(raw)} is not a choice`);
          // A search prompt: what is typed filters the list; Enter takes the first item (typed text that matches nothing is offered as itself).
          if (q.type === 'search' && attempt !== undefined) raw = q.source!(String(attempt))[0]?.value;
          const verdict = (q.type === 'input' || q.type === 'search') && q.validate ? q.validate(raw, session) : true;
          if (verdict === true) break;
          record.refused.push(verdict);
          if (attempts.length === 0) throw new Error(`${q.name}: refused ${String(raw)}: ${verdict}`);
        }
        session[q.name] = q.filter ? q.filter(raw) : raw;
      }
      return session;
    },
  };
  return { terminal, lines, asked };
}

/** The demo answers as typed at the prompts. */
function typed(answers: Answers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(answers)) {
    const input = INPUT_BY_NAME.get(name);
    if (input) out[name] = typeof value === 'boolean' ? value : toText(input, value);
  }
  return out;
}

const stored = (dir: string): Answers => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'].answers;
const invocation = (cwd: string, options: Record<string, string | boolean> = {}) => ({ cwd, directory: 'out', options: { 'skip-git': true, ...options }, terminal: true, colour: false });
const label = (asked: Asked | undefined, value: string): string | undefined => asked?.choices?.find((choice) => choice.value === value)?.name;

describe('discovery at the prompts (lib/run.ts)', () => {
  it('offers the account\'s VPCs, subnets by zone, databases, secrets, clusters, keys and buckets; choices fill and suggest answers; typing stays possible', async () => {
    const cwd = tempDir('discover-');
    const demo = demoAnswers();
    const { terminal, lines, asked } = scripted({
      ...typed(demo),
      metaflow_vpc_id: VPC,
      vpc_cidr_blocks: undefined, // the default the VPC suggests
      subnet1_id: undefined, // the recommended one: private, first zone
      subnet2_id: [SUBNETS.privateA2, SUBNETS.publicA, SUBNETS.privateB], // typed: two in subnet1's zone, refused
      rds_master_instance_endpoint: `${DB_HOST}:5432`,
      database_name: undefined,
      database_username: undefined,
      database_password_secret_manager_arn: undefined, // the database's own secret leads
      database_password_secret_key: undefined,
      ecs_cluster_id: CLUSTER_ARN,
      s3_bucket_arn: 'arn:aws:s3:::metaflow-dev-datastore',
      datastore_s3_bucket_kms_key_arn: KEY_ARN,
      proceed: true,
      check: true,
    });
    await run(invocation(cwd), terminal);
    const byName = (name: string) => asked.find((q) => q.name === name);

    assert.ok(lines.includes('AWS discovery: account 123456789012 (arn:aws:iam::123456789012:user/dev), region us-east-1: the questions offer what it holds, read-only (--no-discover: type everything).'), lines.join('\n'));
    assert.ok(lines.indexOf('Network') < lines.findIndex((line) => line.startsWith('AWS discovery: account')), 'said before the first question it changes');
    const vpc = byName('metaflow_vpc_id');
    assert.equal(vpc?.type, 'search');
    assert.deepEqual(vpc?.choices?.map((c) => c.value), ['vpc-0a1b2c3d4e5f67890', 'vpc-0bbbbbbbbbbbbbbbb']);
    assert.equal(label(vpc, VPC), 'vpc-0a1b2c3d4e5f67890  metaflow-dev   10.20.0.0/16');
    assert.equal(byName('vpc_cidr_blocks')?.default, '10.20.0.0/16');
    const subnet1 = byName('subnet1_id');
    assert.deepEqual(subnet1?.choices?.map((c) => c.value), [SUBNETS.privateA, SUBNETS.privateA2, SUBNETS.publicA, SUBNETS.privateB, SUBNETS.isolatedC], 'this VPC only, by zone, private first in each');
    assert.equal(subnet1?.default, SUBNETS.privateA);
    assert.match(label(subnet1, SUBNETS.publicA)!, /^subnet-0cccccccccccccccc +us-east-1a +public +10\.20\.101\.0\/24 +public-a$/);
    const subnet2 = byName('subnet2_id');
    assert.deepEqual(subnet2?.choices?.map((c) => c.value), [SUBNETS.privateB, SUBNETS.isolatedC], 'another zone only');
    assert.deepEqual(subnet2?.refused, [
      `subnet2_id: ${SUBNETS.privateA2} is in us-east-1a, the zone of subnet1_id: choose a subnet in another availability zone`,
      `subnet2_id: ${SUBNETS.publicA} is in us-east-1a, the zone of subnet1_id: choose a subnet in another availability zone`,
    ]);
    const db = byName('rds_master_instance_endpoint');
    assert.deepEqual(db?.choices?.map((c) => c.value), ['aurora-md.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:5432', 'closed.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:5432', `${DB_HOST}:5432`], 'PostgreSQL only');
    assert.equal(byName('database_name')?.default, 'metaflow');
    assert.equal(byName('database_username')?.default, 'metaflow');
    const secret = byName('database_password_secret_manager_arn');
    assert.equal(secret?.choices?.[0]?.value, RDS_SECRET_ARN);
    assert.match(secret!.choices![0]!.name, /RDS-managed, master user secret of metaflow-dev: JSON key "password"$/);
    assert.ok(!secret?.choices?.some((c) => c.value.includes(':secret:old-')), 'a deleted secret is not offered');
    assert.equal(secret?.default, RDS_SECRET_ARN);
    assert.equal(byName('database_password_secret_key')?.default, 'password');
    const cluster = byName('ecs_cluster_id');
    assert.deepEqual(cluster?.choices?.slice(0, 2), [{ name: 'none: the module creates a cluster', value: '' }, { name: CLUSTER_ARN, value: CLUSTER_ARN }]);
    const key = byName('datastore_s3_bucket_kms_key_arn');
    assert.deepEqual(key?.choices?.map((c) => c.value), [KEY_ARN, DISABLED_KEY_ARN], 'AWS-managed keys left out, disabled ones last');
    assert.match(label(key, DISABLED_KEY_ARN)!, /^alias\/old +arn:aws:kms:\S+ +DISABLED$/);
    assert.deepEqual(byName('s3_bucket_arn')?.choices?.map((c) => c.value), ['arn:aws:s3:::metaflow-dev-datastore', 'arn:aws:s3:::logs-eu'], 'this region first');

    const answers = stored(join(cwd, 'out'));
    assert.equal(answers.metaflow_vpc_id, VPC);
    assert.deepEqual(answers.vpc_cidr_blocks, ['10.20.0.0/16']);
    assert.equal(answers.subnet1_id, SUBNETS.privateA);
    assert.equal(answers.subnet2_id, SUBNETS.privateB);
    assert.equal(answers.database_password_secret_manager_arn, RDS_SECRET_ARN);
    assert.equal(answers.database_password_secret_key, 'password');
    assert.equal(answers.ecs_cluster_id, CLUSTER_ARN);
    assert.equal(answers.datastore_s3_bucket_kms_key_arn, KEY_ARN);

    // The preflight offered at the end, of what was written.
    assert.equal(byName('check')?.message, 'Check these answers against AWS account 123456789012 now (read-only)?');
    assert.ok(lines.some((line) => /^  ok +subnet2_id: subnet-0fedcba9876543210/.test(line)));
    assert.ok(lines.some((line) => /^preflight: \d+ ok, 0 blocking/.test(line)), lines.join('\n'));
  });

  /** Run until the network group has been asked, then stop (the rest is the first test's). */
  async function untilNetwork(env: Record<string, string | undefined>, options: Record<string, string | boolean> = {}) {
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
    const { terminal, lines, asked } = scripted(typed(demoAnswers()));
    // The database group is not asked: the run stops there.
    const stopping: Terminal = { ...terminal, ask: async (questions) => (questions.some((q) => q.name === 'rds_master_instance_endpoint') ? Promise.reject(new Error('stop')) : terminal.ask(questions)) };
    try {
      await assert.rejects(run(invocation(tempDir('discover-'), options), stopping), /^Error: stop$/);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return { lines, asked };
  }

  it('without credentials: the questions as before, after one line saying discovery is off and how to turn it on', async () => {
    const { lines, asked } = await untilNetwork({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const off = lines.filter((line) => line.startsWith('AWS discovery'));
    assert.deepEqual(off, [
      'AWS discovery is off (no AWS credentials found): type each id and ARN. To pick them from your account instead, give credentials: --profile <name> (or AWS_PROFILE) for a shared-config or SSO profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and run again.',
    ]);
    assert.equal(asked.find((q) => q.name === 'metaflow_vpc_id')?.type, 'input');
    assert.ok(!asked.some((q) => q.type === 'search' && q.name.endsWith('_id')));
  });

  it('--no-discover: no AWS call, no line', async () => {
    const before = fake.log.length;
    const { lines, asked } = await untilNetwork({}, { discover: false });
    assert.equal(fake.log.length, before);
    assert.ok(!lines.some((line) => line.includes('AWS')));
    assert.equal(asked.find((q) => q.name === 'subnet1_id')?.type, 'input');
  });

  it('a refused call leaves its question to typing, saying which action; the others still offer choices', async () => {
    fake.deny.add('ec2:DescribeVpcs');
    try {
      const { lines, asked } = await untilNetwork({});
      assert.ok(lines.some((line) => line.startsWith('AWS discovery: ec2:DescribeVpcs was refused (UnauthorizedOperation): type those answers (allow ec2:DescribeVpcs')), lines.join('\n'));
      assert.equal(asked.find((q) => q.name === 'metaflow_vpc_id')?.type, 'input');
      assert.equal(asked.find((q) => q.name === 'subnet1_id')?.type, 'search', 'subnets still offered (DescribeSubnets is allowed)');
    } finally {
      fake.deny.clear();
    }
  });
});

describe('discovery in the bin, under a pseudo-terminal', () => {
  it('shows the lists with inquirer\'s prompts, filters them as typed, refuses a typed id the account contradicts', async () => {
    const cwd = tempDir('pty-');
    const partial = passing();
    for (const name of ['metaflow_vpc_id', 'subnet1_id', 'subnet2_id']) delete partial[name];
    writeFileSync(join(cwd, 'answers.json'), JSON.stringify(partial));
    // util-linux's script(1) gives the bin a terminal; each key is typed once what it answers is on the screen.
    const plain = (text: string): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const steps: [RegExp, string][] = [
      [/VPC id/, '\r'],
      [/First private subnet id/, '\r'],
      [/Second private subnet id/, SUBNETS.privateA2], // typed in full: in the first one's zone
      [new RegExp(`zone\\) ${SUBNETS.privateA2}`), '\r'],
      [/the zone of subnet1_id:\s+choose a subnet in another availability zone/, `${'\x7f'.repeat(SUBNETS.privateA2.length)}1b`],
      [/zone\) 1b\s*❯ subnet-0fedcba9876543210  us-east-1b/, '\r'], // the list filtered by what is typed
      [/Write the module/, '\r'],
      [/Check these answers/, 'n\r'],
    ];
    const command = `stty cols 160 rows 50; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} out --answers answers.json --skip-git`;
    const screen = await new Promise<{ text: string; status: number | null }>((resolve, reject) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let text = '';
      let seen = 0;
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const step = steps[0];
        if (step && step[0].test(plain(text.slice(seen)))) {
          steps.shift();
          seen = text.length;
          setTimeout(() => child.stdin.write(step[1]), 50);
        }
      });
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ text: plain(text), status });
      });
    });
    assert.equal(screen.status, 0, screen.text);
    assert.equal(steps.length, 0, `questions not reached:\n${screen.text}`);
    assert.match(screen.text, /AWS discovery: account 123456789012/);
    assert.match(screen.text, /vpc-0a1b2c3d4e5f67890  metaflow-dev   10\.20\.0\.0\/16/);
    const second = screen.text.slice(screen.text.indexOf('Second private subnet id'));
    assert.match(second, /subnet-0fedcba9876543210  us-east-1b  private   10\.20\.2\.0\/24    private-b/);
    assert.ok(!second.slice(0, second.indexOf('navigate')).includes(SUBNETS.privateA2), 'the second list holds no subnet of the first one\'s zone');
    const answers = stored(join(cwd, 'out'));
    assert.equal(answers.metaflow_vpc_id, VPC);
    assert.equal(answers.subnet1_id, SUBNETS.privateA);
    assert.equal(answers.subnet2_id, SUBNETS.privateB, 'the one filtered by "1b"');
  });
});

describe('discovery through the Yeoman generator', () => {
  it('asks the same pick-lists through Yeoman\'s prompts', async () => {
    const seen = new Map<string, { type: string; choices?: { name: string; value: string }[] }>();
    type Seen = { name: string; type: string; choices?: { name: string; value: string }[]; source?: (term: undefined) => { name: string; value: string }[] };
    const demo = demoAnswers();
    await helpers
      .run(GENERATOR)
      .withOptions({ interactive: true, skipGit: true } as never)
      .withAdapterOptions({
        callback: (answer: unknown, { question }: { question: Seen }) => {
          seen.set(question.name, { type: question.type, choices: question.source ? question.source(undefined) : question.choices });
          return answer;
        },
      } as never)
      .withAnswers({ ...typed(demo), metaflow_vpc_id: VPC, subnet1_id: SUBNETS.privateA, subnet2_id: SUBNETS.privateB, rds_master_instance_endpoint: `${DB_HOST}:5432`, database_password_secret_manager_arn: SECRET_ARN, ecs_cluster_id: '', proceed: true, check: false });
    assert.equal(seen.get('metaflow_vpc_id')?.type, 'search');
    assert.deepEqual(seen.get('subnet2_id')?.choices?.map((c) => c.value), [SUBNETS.privateB, SUBNETS.isolatedC]);
    const answers = stored(result.cwd);
    result.cleanup();
    assert.equal(answers.subnet2_id, SUBNETS.privateB);
    assert.equal(answers.ecs_cluster_id, null);
    assert.deepEqual(answers, storable(variant({ ...demo, ecs_cluster_id: null })), 'the same answers as typed ones');
  });
});

describe('least privilege', () => {
  it('every request sent is an action of the README\'s policy, and every action of the policy is used', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- policy -->\n```json\n([\s\S]*?)\n```\n<!-- \/policy -->/.exec(readme);
    assert.ok(block, 'README.md has the policy block');
    const policy = JSON.parse(block[1] as string) as { Statement: { Effect: string; Action: string[]; Resource: string }[] };
    const allowed = new Set(policy.Statement.flatMap((statement) => statement.Action));
    assert.ok(policy.Statement.every((statement) => statement.Effect === 'Allow'));
    const sent = new Set(fake.log.map((entry) => entry.action).filter((action) => !action.startsWith('registry:')));
    assert.deepEqual([...sent].filter((action) => !allowed.has(action)), [], 'sent but not in the policy');
    assert.deepEqual([...allowed].filter((action) => !sent.has(action)).sort(), [], 'in the policy but never sent by these tests');
    assert.ok([...allowed].every((action) => /^[a-z0-9]+:(Describe|List|Get|Head)[A-Za-z]+$/.test(action)), 'read-only actions only');
  });
});
