// The real bin, as CI and `npm create` run it: no terminal, answers from a file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { INPUTS, flagName } from '../src/lib/catalogue.js';
import { DEMO_FILE, ROOT, demoAnswers } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test

function run(args: string[], cwd: string) {
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('create-metaflow-metadata', () => {
  it('writes the repository from the demo answers and exits 0', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    const { status, stderr } = run(['out', '--answers', DEMO_FILE, '--skip-git'], cwd);
    assert.equal(status, 0, stderr);
    const out = join(cwd, 'out');
    for (const file of ['versions.tf', 'variables.tf', 'outputs.tf', 'ecs.tf', 'nlb.tf', 'api_gateway.tf', 'migration.tf', 'iam.tf', 'security_groups.tf', 'README.md', 'examples/complete/main.tf', '.yo-rc.json']) {
      assert.ok(existsSync(join(out, file)), file);
    }
    assert.ok(!existsSync(join(out, '.git')));
    const stored = JSON.parse(readFileSync(join(out, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'];
    assert.equal(stored.answers.database_password_secret_manager_arn, demoAnswers().database_password_secret_manager_arn);
  });

  it('runs git init unless told not to', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    const { status, stderr } = run(['--answers', DEMO_FILE], cwd);
    assert.equal(status, 0, stderr);
    assert.ok(existsSync(join(cwd, '.git')));
  });

  it('refuses a bad answers file: non-zero exit, every bad field named, nothing written', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    const bad = {
      ...demoAnswers(),
      vpc_cidr_blocks: '10.0.0.0/16',
      subnet2_id: demoAnswers().subnet1_id,
      metadata_service_memory: 512,
      s3_bucket_arn: 'arn:aws:s3:::Bad_Bucket',
      standard_tags: { env: 'dev"${x}' },
      databse_name: 'metaflow',
    } as Record<string, unknown>;
    delete bad.resource_suffix;
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify(bad));
    const { status, stderr, stdout } = run(['out', '--answers', 'bad.json', '--skip-git'], cwd);
    assert.notEqual(status, 0);
    for (const field of ['vpc_cidr_blocks', 'subnet2_id', 'metadata_service_memory', 's3_bucket_arn', 'standard_tags', 'databse_name', 'resource_suffix']) {
      assert.match(stderr, new RegExp(`- ${field}: `), `${field} not named in:\n${stderr}`);
    }
    assert.match(stderr, /did you mean database_name\?/);
    assert.match(stderr, /nothing was written/);
    assert.deepEqual(readdirSync(cwd), ['bad.json'], `files appeared: ${stdout}`);
  });

  it('refuses a missing answers file and a bad flag the same way', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    let result = run(['--answers', 'nope.yaml', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /no such file/);
    writeFileSync(join(cwd, 'huge.json'), JSON.stringify({ ...demoAnswers(), padding: 'x'.repeat(1024 * 1024) }));
    result = run(['out', '--answers', 'huge.json', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /\(file\): is \d+ bytes; an answers file may be at most 1048576/);
    writeFileSync(join(cwd, 'dup.json'), JSON.stringify({ ...demoAnswers(), vpc_cidr_blocks: ['10.0.0.0/16', '10.0.0.0/16'] }));
    result = run(['out', '--answers', 'dup.json', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /vpc_cidr_blocks: "10\.0\.0\.0\/16" is listed twice/);
    assert.deepEqual(readdirSync(cwd).sort(), ['dup.json', 'huge.json']);
    result = run(['--answers', DEMO_FILE, '--metadata-service-cpu', '300', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /metadata_service_cpu: 300 is not a Fargate CPU size/);
    assert.deepEqual(readdirSync(cwd).sort(), ['dup.json', 'huge.json']);
  });

  it('--dry-run lists the files and writes nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    const { status, stderr, stdout } = run(['out', '--answers', DEMO_FILE, '--dry-run'], cwd);
    assert.equal(status, 0, stderr);
    assert.match(stdout + stderr, /create out\/ecs\.tf/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('documents a flag for every input in --help', () => {
    const { status, stdout } = run(['--help'], tmpdir());
    assert.equal(status, 0);
    for (const input of INPUTS) assert.ok(stdout.includes(`--${flagName(input)}`), flagName(input));
    for (const option of ['--answers', '--skip-git', '--force', '--dry-run']) assert.ok(stdout.includes(option), option);
  });
});
