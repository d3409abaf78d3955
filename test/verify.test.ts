// The project's own Terraform checker: every combination of structural answers
// verifies with no finding, and each kind of mistake it exists for is caught.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSchemas } from '../src/verify/schema.js';
import { summaryLine, verify, type Report } from '../src/verify/verify.js';
import { ROOT, VARIANTS, renderVariant } from './helpers.js';

const schemas = loadSchemas();

function writeTree(files: Map<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const describeFindings = (report: Report) => report.findings.map((f) => `${f.file}:${f.line}: [${f.check}] ${f.message}`).join('\n');

// The module's files are the same for every answer (test/module.test.ts holds
// that): what varies is terraform.tfvars and the tests' fixtures, so the
// variants that change those differently are verified: the demo, another
// partition, and the API Gateway and its key off.
describe('verifier over the answer variants', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const name of ['demo', 'govcloud', 'private only']) {
    const answers = VARIANTS[name]!;
    it(`${name}: 0 findings`, async () => {
      const dir = writeTree(renderVariant(answers));
      dirs.push(dir);
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
    const before = files.get(path) as string;
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

  it('lifecycle.ignore_changes naming no argument of the type', async () => {
    const report = await mutate('ecs.tf', (t) => t.replace('ignore_changes = [desired_count]', 'ignore_changes = [desired_cont]'));
    expectFinding(report, 'schema', /aws_ecs_service\.this: ignore_changes names desired_cont, not an argument of this type \(did you mean desired_count\?\)/, 'ecs.tf');
  });
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
    // The module reads the region from a subnet ARN; a provider-5 habit must not creep back in.
    report = await mutate('locals.tf', (t) => `data "aws_region" "current" {}\n\n${t.replace('split(":", data.aws_subnet.first.arn)[3]', 'data.aws_region.current.name')}`);
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

/** Findings of `after` that `before` lacks (lines aside: an edit shifts the lines below it). */
function newFindings(before: Report, after: Report): Report['findings'] {
  const key = (f: Report['findings'][number]) => `${f.file}|${f.check}|${f.message}`;
  const left = new Map<string, number>();
  for (const f of before.findings) left.set(key(f), (left.get(key(f)) ?? 0) + 1);
  return after.findings.filter((f) => {
    const n = left.get(key(f)) ?? 0;
    left.set(key(f), n - 1);
    return n <= 0;
  });
}

/** 1-based line where `needle` starts in `text`. */
const lineOfText = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('verifier: a null test does not guard its neighbours in || and &&', () => {
  /** A module whose variable x has one validation, `condition`. */
  const moduleWith = (condition: string): Map<string, string> => {
    const variable = (name: string, extra: string[] = []) => [`variable "${name}" {`, '  type    = any', '  default = null', ...extra, '}', ''];
    const validation = ['', '  validation {', `    condition     = ${condition}`, '    error_message = "x is not valid."', '  }'];
    return new Map([['main.tf', [...variable('x', validation), ...['p', 'a', 'b', 'l'].flatMap((n) => variable(n))].join('\n')]]);
  };
  const CONDITION_LINE = 6;
  const fires: [string, RegExp][] = [
    ['var.x == null || split(":", var.x)[1] == var.p', /var\.x is tested for null, but \|\| does not short-circuit .*split\(":", var\.x\) still runs .*write var\.x == null \? true : split\(":", var\.x\)\[1\] == var\.p, or wrap the use in try\(\.\.\.\)/],
    ['var.x != null && length(var.x) > 0', /&& does not short-circuit.*length\(var\.x\) still runs.*write var\.x != null \? length\(var\.x\) > 0 : false/],
    ['null == var.x || length(regex("a", var.x)) > 0', /regex\("a", var\.x\) still runs/],
    ['var.x != null && var.x.enabled', /var\.x\.enabled still runs/],
    ['var.x == null || var.x > 3', /var\.x > \.\.\. still runs/],
    ['alltrue([for s in var.l : s == null || length(s) > 0])', /s is tested for null.*length\(s\) still runs/],
  ];
  for (const [condition, message] of fires) {
    it(`fires on ${condition}`, async () => {
      const report = await verify(writeTree(moduleWith(condition)), schemas);
      assert.equal(report.findings.length, 1, describeFindings(report));
      const [hit] = report.findings;
      assert.deepEqual([hit!.file, hit!.line, hit!.check], ['main.tf', CONDITION_LINE, 'logic']);
      assert.match(hit!.message, message);
    });
  }
  const quiet = [
    'null == var.x || can(regex("a", var.x))', // can() and try() catch the error
    'var.x == null || try(split(":", var.x)[1] == var.p, false)',
    'var.x == null ? true : length(var.x) > 0', // a conditional evaluates one branch
    'var.a == null || var.b > 0', // different values
    'var.x == null',
    'var.x == null || var.x == "a"', // == and != accept null
    'var.x == null || coalesce(var.x, "") == ""',
    'alltrue([for s in var.l : s == null ? true : length(s) > 0])',
  ];
  for (const condition of quiet) {
    it(`is quiet on ${condition}`, async () => {
      const report = await verify(writeTree(moduleWith(condition)), schemas);
      assert.equal(report.findings.length, 0, describeFindings(report));
    });
  }

  it('a mutation: the pattern injected into a rendered validation block is the one new finding, at its line', async () => {
    const base = renderVariant();
    const text = base.get('variables.tf') as string;
    const header = /^variable "(\w+)" \{\n[\s\S]*?\n\}\n/m.exec(text);
    assert.ok(header, 'variables.tf declares a variable');
    const name = header[1]!;
    const condition = `var.${name} == null || split(":", var.${name})[1] == "aws"`;
    const block = header[0].replace(/\n\}\n$/, `\n\n  validation {\n    condition     = ${condition}\n    error_message = "Injected."\n  }\n}\n`);
    const mutated = text.replace(header[0], block);
    const files = new Map(base);
    files.set('variables.tf', mutated);
    const added = newFindings(await verify(writeTree(base), schemas), await verify(writeTree(files), schemas));
    assert.equal(added.length, 1, added.map((f) => `${f.file}:${f.line}: [${f.check}] ${f.message}`).join('\n'));
    assert.deepEqual([added[0]!.file, added[0]!.line, added[0]!.check], ['variables.tf', lineOfText(mutated, condition), 'logic']);
    assert.match(added[0]!.message, new RegExp(`write var\\.${name} == null \\? true : split`));
  });
});

describe('verifier reads native test files', () => {
  const FIXTURE = join(ROOT, 'test', 'fixtures', 'verify', 'tested');
  const readTree = (dir: string): Map<string, string> => {
    const files = new Map<string, string>();
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
      }
    };
    walk(dir);
    return files;
  };
  const fixture = readTree(FIXTURE);

  it('a module with tests/*.tftest.hcl (mocks, overrides, a helper module, expect_failures): 0 findings', async () => {
    const report = await verify(FIXTURE, schemas);
    assert.equal(report.findings.length, 0, describeFindings(report));
    assert.equal(report.files, 3);
    assert.ok(report.references >= 14 && report.arguments >= 10, summaryLine(FIXTURE, report));
  });

  // [what, file, text, replacement, check, message]: each mutation is exactly one finding, at the replacement's line.
  const mutations: [string, string, string, string, string, RegExp][] = [
    ['a misspelt variable in a run', 'tests/lb.tftest.hcl', 'certificate_arn = "not-an-arn"', 'certificate_rn = "not-an-arn"', 'module', /^run bad_certificate: certificate_rn is not a variable of the root module \(did you mean certificate_arn\?\)$/],
    ['an unknown output in an assert', 'tests/lb.tftest.hcl', 'output.region == "amazonaws.com"', 'output.regoin == "amazonaws.com"', 'reference', /^output\.regoin is not an output of the root module \(did you mean region\?\)$/],
    ['an unknown mock type', 'tests/lb.tftest.hcl', 'mock_data "aws_partition"', 'mock_data "aws_partitoin"', 'schema', /^mock_data type aws_partitoin does not exist in hashicorp\/aws /],
    ['a mock default the type lacks', 'tests/lb.tftest.hcl', 'dns_name = "mock', 'dns_host = "mock', 'schema', /^mock_resource aws_lb: defaults sets dns_host, which is not an attribute of aws_lb/],
    ['an override of an undeclared resource', 'tests/lb.tftest.hcl', 'target = aws_lb.this', 'target = aws_lb.that', 'reference', /^override_resource target aws_lb\.that is not a resource of the root module \(did you mean aws_lb\.this\?\)$/],
    ['a run reading itself as an earlier run', 'tests/lb.tftest.hcl', 'run.plan.region', 'run.apply.region', 'reference', /^run\.apply is not a run block before this one$/],
    ['a local read from a test', 'tests/lb.tftest.hcl', 'output.lb_arn == aws_lb', 'local.lb_arn == aws_lb', 'reference', /^local\.lb_arn: a test cannot read the module's locals/],
    ['an unknown check in expect_failures', 'tests/lb.tftest.hcl', 'check.short_name]', 'check.short_names]', 'reference', /^check\.short_names is not declared in the root module \(did you mean short_name\?\)$/],
    ['a provider the file does not configure', 'tests/lb.tftest.hcl', 'aws = aws.other', 'aws = aws.others', 'reference', /^run apply: provider aws\.others is not configured in this file \(did you mean aws\.other\?\)$/],
    ['a missing helper module', 'tests/lb.tftest.hcl', 'source = "./tests/setup"', 'source = "./tests/setp"', 'module', /^run setup: no module at \.\/tests\/setp/],
    ['a test file out of format', 'tests/lb.tftest.hcl', 'name = "a-network', 'name  = "a-network', 'format', /canonical format/],
    ['a validation leaning on ||', 'main.tf', 'var.certificate_arn == null ? true : startswith', 'var.certificate_arn == null || startswith', 'logic', /^var\.certificate_arn is tested for null, but \|\| does not short-circuit/],
  ];
  for (const [what, path, from, to, check, message] of mutations) {
    it(what, async () => {
      const files = new Map(fixture);
      const before = files.get(path)!;
      assert.equal(before.split(from).length, 2, `${from} occurs once in ${path}`);
      const after = before.replace(from, to);
      files.set(path, after);
      const report = await verify(writeTree(files), schemas);
      assert.equal(report.findings.length, 1, describeFindings(report));
      const [hit] = report.findings;
      assert.deepEqual([hit!.file, hit!.line, hit!.check], [path, lineOfText(after, to), check], describeFindings(report));
      assert.match(hit!.message, message);
    });
  }

  it('needs no archive schema: a provider without one is named, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    copyFileSync(join(ROOT, 'src', 'verify', 'schemas', 'aws.json'), join(dir, 'aws.json'));
    const awsOnly = loadSchemas(dir);
    assert.deepEqual([...awsOnly.keys()], ['aws']);
    assert.equal((await verify(FIXTURE, awsOnly)).findings.length, 0);
    const files = new Map(fixture);
    files.set('archive.tf', 'data "archive_file" "code" {\n  type        = "zip"\n  source_dir  = "${path.module}/src"\n  output_path = "${path.module}/code.zip"\n}\n');
    const report = await verify(writeTree(files), awsOnly);
    assert.equal(report.findings.length, 1, describeFindings(report));
    assert.match(report.findings[0]!.message, /data type archive_file: no schema for its provider/);
  });
});
