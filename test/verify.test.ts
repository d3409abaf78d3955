// The project's own Terraform checker: every combination of structural answers
// verifies with no finding, and each kind of mistake it exists for is caught.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Answers } from '../src/lib/catalogue.js';
import { loadSchemas } from '../src/verify/schema.js';
import { summaryLine, verify, type Report } from '../src/verify/verify.js';
import { ROOT, VARIANTS, renderVariant } from './helpers.js';

const schemas = loadSchemas();

function writeTree(files: Map<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const describeFindings = (report: Report) => report.findings.map((f) => `${f.file}:${f.line}: [${f.check}] ${f.message}`).join('\n');

/** Every combination of the structural toggles. */
function matrix(): { name: string; answers: Answers }[] {
  const toggles: [string, Answers][] = [
    ['existing cluster', VARIANTS['existing cluster']!],
    ['no api key', VARIANTS['no api key']!],
    ['govcloud', VARIANTS.govcloud!],
    ['public ip', VARIANTS['public ip']!],
    ['open access list', VARIANTS['open access list']!],
  ];
  const out: { name: string; answers: Answers }[] = [];
  for (let mask = 0; mask < 1 << toggles.length; mask++) {
    const chosen = toggles.filter((_, i) => mask & (1 << i));
    const answers = Object.assign({}, ...chosen.map(([, a]) => a)) as Answers;
    if (chosen.some(([n]) => n === 'govcloud') && answers.ecs_cluster_id) {
      answers.ecs_cluster_id = 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/shared';
    }
    out.push({ name: chosen.map(([n]) => n).join(' + ') || 'demo', answers });
  }
  return out;
}

describe('verifier over the answer matrix', () => {
  const combos = matrix();
  it(`covers ${combos.length} combinations`, () => assert.equal(combos.length, 32));
  for (const { name, answers } of combos) {
    it(`${name}: 0 findings`, async () => {
      const dir = writeTree(renderVariant(answers));
      const report = await verify(dir, schemas);
      assert.equal(report.findings.length, 0, describeFindings(report));
      assert.ok(report.files >= 14 && report.references > 300 && report.arguments > 300, summaryLine(dir, report));
    });
  }
});

describe('verifier catches mistakes', () => {
  const base = renderVariant();
  const mutate = async (path: string, edit: (text: string) => string): Promise<Report> => {
    const files = new Map(base);
    const before = files.get(path)!;
    const after = edit(before);
    assert.notEqual(after, before, 'the mutation changed nothing');
    files.set(path, after);
    return verify(writeTree(files), schemas);
  };
  const expectFinding = (report: Report, check: string, pattern: RegExp, file: string) => {
    const hit = report.findings.find((f) => f.check === check && pattern.test(f.message));
    assert.ok(hit, `no ${check} finding matching ${pattern}:\n${describeFindings(report)}`);
    assert.equal(hit.file, file);
    assert.ok(hit.line >= 1, 'points at a line');
    return hit;
  };

  it('a misspelt argument', async () => {
    const report = await mutate('nlb.tf', (t) => t.replace(/^  internal( +)= true$/m, '  internl$1 = true'));
    expectFinding(report, 'schema', /aws_lb\.this: unknown argument internl \(did you mean internal\?\)/, 'nlb.tf');
  });
  it('a misspelt nested block argument', async () => {
    const report = await mutate('nlb.tf', (t) => t.replace('    unhealthy_threshold = 2', '    unhealthy_treshold  = 2'));
    expectFinding(report, 'schema', /health_check: unknown argument unhealthy_treshold/, 'nlb.tf');
  });
  it('an undeclared variable', async () => {
    const report = await mutate('ecs.tf', (t) => t.replace('var.with_public_ip', 'var.with_public_ips'));
    expectFinding(report, 'reference', /var\.with_public_ips is not declared/, 'ecs.tf');
  });
  it('an undefined local and an undeclared resource', async () => {
    let report = await mutate('nlb.tf', (t) => t.replace('local.nlb_name', 'local.lb_name'));
    expectFinding(report, 'reference', /local\.lb_name is not defined/, 'nlb.tf');
    report = await mutate('outputs.tf', (t) => t.replace('aws_iam_role.task.arn', 'aws_iam_role.tasks.arn'));
    expectFinding(report, 'reference', /aws_iam_role\.tasks is not declared/, 'outputs.tf');
  });
  it('a missing required argument and a missing required block', async () => {
    let report = await mutate('api_gateway.tf', (t) => t.replace(/^  stage_name( +)= "api"\n/m, ''));
    expectFinding(report, 'schema', /aws_api_gateway_stage\.api: required argument stage_name is missing/, 'api_gateway.tf');
    report = await mutate('nlb.tf', (t) => t.replace(/resource "aws_lb_listener" "api" \{[\s\S]*?\n  default_action \{[\s\S]*?\n  \}\n/, (m) => m.replace(/\n  default_action \{[\s\S]*?\n  \}\n/, '\n')));
    expectFinding(report, 'schema', /aws_lb_listener\.api: required block default_action is missing/, 'nlb.tf');
  });
  it('an unknown resource type', async () => {
    const report = await mutate('ecs.tf', (t) => t.replace('resource "aws_ecs_cluster" "this"', 'resource "aws_ecs_clustr" "this"'));
    const hit = expectFinding(report, 'schema', /resource type aws_ecs_clustr does not exist in hashicorp\/aws 6\.66\.0 \(did you mean aws_ecs_cluster\?\)/, 'ecs.tf');
    assert.equal(hit.line, 1);
  });
  it('a type the committed schema lacks is named as such', async () => {
    const report = await mutate('ecs.tf', (t) => `${t}\nresource "aws_sqs_queue" "dlq" {\n  name = "x"\n}\n`);
    expectFinding(report, 'schema', /aws_sqs_queue exists in hashicorp\/aws .* but the committed schema lacks it: run npm run schema/, 'ecs.tf');
  });
  it('an attribute the resource does not export, and one deprecated in provider 6', async () => {
    let report = await mutate('outputs.tf', (t) => t.replace('aws_lb.this.dns_name', 'aws_lb.this.dns'));
    expectFinding(report, 'reference', /aws_lb\.this has no attribute dns/, 'outputs.tf');
    report = await mutate('locals.tf', (t) => t.replace('data.aws_region.current.region', 'data.aws_region.current.name'));
    expectFinding(report, 'reference', /data\.aws_region\.current\.name is deprecated/, 'locals.tf');
  });
  it('a module call passing an undeclared input or missing a required one', async () => {
    let report = await mutate('examples/complete/main.tf', (t) => t.replace(/^  subnet1_id( +)= var\.subnet1_id$/m, '  subnet_1_id$1= var.subnet1_id'));
    expectFinding(report, 'module', /declares no variable subnet_1_id/, 'examples/complete/main.tf');
    expectFinding(report, 'module', /required variable subnet1_id of \.\.\/\.\. is not passed/, 'examples/complete/main.tf');
  });
  it('a syntax error, with its line', async () => {
    const report = await mutate('iam.tf', (t) => t.replace('resource "aws_iam_role" "task" {', 'resource "aws_iam_role" "task" {{'));
    const hit = report.findings.find((f) => f.check === 'syntax');
    assert.ok(hit, describeFindings(report));
    assert.equal(hit.file, 'iam.tf');
    assert.equal(hit.line, readFileSync(join(ROOT, 'templates', 'iam.tf'), 'utf8').split('\n').findIndex((l) => l.startsWith('resource "aws_iam_role" "task"')) + 1);
  });
  it('formatting drift and interpolation-only strings', async () => {
    let report = await mutate('nlb.tf', (t) => t.replace('  internal                         = true', '  internal = true'));
    expectFinding(report, 'format', /canonical format/, 'nlb.tf');
    report = await mutate('nlb.tf', (t) => t.replace('  vpc_id               = var.metaflow_vpc_id', '  vpc_id               = "${var.metaflow_vpc_id}"'));
    expectFinding(report, 'format', /interpolation-only/, 'nlb.tf');
  });
  it('a tfvars key the module does not declare', async () => {
    const report = await mutate('examples/complete/terraform.tfvars', (t) => `${t}\nextra_setting = 1\n`);
    expectFinding(report, 'module', /extra_setting is not a variable of examples\/complete/, 'examples/complete/terraform.tfvars');
  });
});
