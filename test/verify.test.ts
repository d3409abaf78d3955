// The second opinion: the generated tree against the aws provider 6 schema,
// which real Terraform here (aws 5.100) cannot check. One render: the module's
// files are the same for every answer (test/module.test.ts holds that), and the
// tests' fixtures change only values, not which types and attributes they name.
// Each kind of mistake the verifier exists for is caught, at its line.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSchemas } from '../src/verify/schema.js';
import { summaryLine, verify, type Report } from '../src/verify/verify.js';
import { renderVariant, ROOT, tempDir } from './helpers.js';

const schemas = loadSchemas();
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function writeTree(files: ReadonlyMap<string, string | Buffer>): string {
  const dir = tempDir('verify-');
  dirs.push(dir);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const describeFindings = (report: Report) => report.findings.map((f) => `${f.file}:${f.line}: [${f.check}] ${f.message}`).join('\n');
const base = renderVariant();
const lineOfText = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('verifier', () => {
  it('the generated repository: 0 findings, every block and attribute read checked', async () => {
    const dir = writeTree(base);
    const report = await verify(dir, schemas);
    assert.equal(report.findings.length, 0, describeFindings(report));
    assert.ok(report.files >= 15 && report.references > 150 && report.arguments > 300, summaryLine(dir, report));
  });

  // [what, file, text, replacement, message]: the first occurrence replaced gives exactly one finding, at its line.
  const mutations: [string, string, string, string, RegExp][] = [
    ['a misspelt argument', 'nlb.tf', '  internal                         = true', '  internl                          = true', /^aws_lb\.this: unknown argument internl \(did you mean internal\?\)$/],
    ['a misspelt argument of a nested block', 'nlb.tf', '    unhealthy_threshold = 2', '    unhealthy_treshold  = 2', /health_check: unknown argument unhealthy_treshold/],
    ['lifecycle.ignore_changes naming no argument of the type', 'ecs.tf', 'ignore_changes = [desired_count]', 'ignore_changes = [desired_cont]', /aws_ecs_service\.this: ignore_changes names desired_cont, not an argument of this type \(did you mean desired_count\?\)/],
    ['a missing required argument', 'api_gateway.tf', '  stage_name           = "api"\n', '', /aws_api_gateway_stage\.api: required argument stage_name is missing/],
    ['an unknown resource type', 'ecs.tf', 'resource "aws_ecs_cluster" "this"', 'resource "aws_ecs_clustr" "this"', /resource type aws_ecs_clustr does not exist in hashicorp\/aws 6\.66\.0 \(did you mean aws_ecs_cluster\?\)/],
    ['an attribute the resource does not export', 'outputs.tf', 'aws_lb.this.dns_name}/"', 'aws_lb.this.dns}/"', /^aws_lb\.this has no attribute dns/],
    ['an attribute read in a test assertion', 'tests/module.tftest.hcl', 'aws_ecs_service.this.launch_type == "FARGATE"', 'aws_ecs_service.this.launch_typ == "FARGATE"', /^aws_ecs_service\.this has no attribute launch_typ \(did you mean launch_type\?\)/],
    ['an unknown mock type', 'tests/module.tftest.hcl', 'mock_data "aws_partition"', 'mock_data "aws_partitoin"', /^mock_data type aws_partitoin does not exist in hashicorp\/aws /],
    ['a mock default the type lacks', 'tests/module.tftest.hcl', '      dns_name   = "mock', '      dns_host   = "mock', /^mock_resource aws_lb: defaults sets dns_host, which is not an attribute of aws_lb/],
    ['an override value the type lacks', 'tests/module.tftest.hcl', '    availability_zone = "us-east-1a"', '    availability_zon  = "us-east-1a"', /^override_data data\.aws_subnet\.first: values sets availability_zon, which is not an attribute of aws_subnet/],
  ];
  for (const [what, path, from, to, message] of mutations) {
    it(what, async () => {
      const files = new Map(base);
      const before = files.get(path) as string;
      assert.ok(before.includes(from), `${JSON.stringify(from)} is in ${path}`);
      const after = before.replace(from, to);
      files.set(path, after);
      const report = await verify(writeTree(files), schemas);
      assert.equal(report.findings.length, 1, describeFindings(report));
      const [hit] = report.findings;
      const line = to === '' ? undefined : lineOfText(after, to);
      // (a replacement that removes text is found at its block's line)
      assert.deepEqual([hit!.file, hit!.check], [path, 'schema']);
      if (line !== undefined) assert.equal(hit!.line, line, describeFindings(report));
      assert.match(hit!.message, message);
    });
  }

  it('a missing required block, and an attribute deprecated in provider 6', async () => {
    const files = new Map(base);
    const nlb = files.get('nlb.tf') as string;
    files.set('nlb.tf', nlb.replace(/resource "aws_lb_listener" "api" \{[\s\S]*?\n  default_action \{[\s\S]*?\n  \}\n/, (m) => m.replace(/\n  default_action \{[\s\S]*?\n  \}\n/, '\n')));
    // The module reads the region from a subnet ARN; a provider-5 habit must not creep back in.
    const locals = files.get('locals.tf') as string;
    files.set('locals.tf', `data "aws_region" "current" {}\n\n${locals.replace('split(":", data.aws_subnet.first.arn)[3]', 'data.aws_region.current.name')}`);
    const report = await verify(writeTree(files), schemas);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.message]),
      [
        ['locals.tf', 'data.aws_region.current.name is deprecated in aws provider 6; read .region'],
        ['nlb.tf', 'aws_lb_listener.api: required block default_action is missing'],
      ],
    );
  });

  it('a type the committed schema lacks is named as such, and a provider without a schema is named, not a crash', async () => {
    const files = new Map(base);
    files.set('extra.tf', 'resource "aws_sqs_queue" "dlq" {\n  name = "x"\n}\n\ndata "archive_file" "code" {\n  type        = "zip"\n  output_path = "code.zip"\n}\n');
    const only = tempDir('schemas-');
    dirs.push(only);
    copyFileSync(join(ROOT, 'src', 'verify', 'schemas', 'aws.json'), join(only, 'aws.json'));
    const report = await verify(writeTree(files), loadSchemas(only));
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.line, f.message.replace(/ 6\.\d+\.\d+/, ' 6.x')]),
      [
        ['extra.tf', 1, 'resource type aws_sqs_queue exists in hashicorp/aws 6.x but the committed schema lacks it: run npm run schema'],
        ['extra.tf', 5, 'data type archive_file: no schema for its provider; add one to scripts/provider-schema.ts'],
      ],
    );
  });

  it('a file it cannot read is reported, not passed over', async () => {
    const files = new Map(base);
    files.set('iam.tf', (files.get('iam.tf') as string).replace('resource "aws_iam_role" "task" {', 'resource "aws_iam_role" "task" {{'));
    const report = await verify(writeTree(files), schemas);
    const hit = report.findings.find((f) => f.check === 'syntax');
    assert.ok(hit, describeFindings(report));
    assert.equal(hit.file, 'iam.tf');
    assert.match(hit.message, /^cannot be read, so not checked/);
  });
});
