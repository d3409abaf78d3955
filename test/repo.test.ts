// The generated repository is one a platform team keeps: CI, hooks, lint and
// docs configuration that parse and say what they should, and a README whose
// terraform-docs tables match the module's parsed variables and outputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { INPUT_BY_NAME, MODULE_INPUTS, type Answers } from '../src/lib/inputs/catalogue.js';
import { RDS_CA_BUNDLE_URL } from '../src/lib/inputs/validators.js';
import { ACTIONS, TOOLS } from '../src/lib/render/tools.js';
import semver from 'semver';
import { VARIANTS, constraintAllows, parseHcl, pinnedUses, parseModule, renderVariant, textOf, variant, type Json } from './helpers.js';

const REPO_FILES = [
  'README.md',
  'CHANGELOG.md',
  '.editorconfig',
  '.gitignore',
  '.gitattributes',
  '.github/workflows/terraform.yml',
  '.github/dependabot.yml',
  '.pre-commit-config.yaml',
  '.tflint.hcl',
  '.terraform-docs.yml',
  'tests/module.tftest.hcl',
  'tests/iam.tftest.hcl',
  'tests/validation.tftest.hcl',
  'examples/complete/tests/answers.tftest.hcl',
  'functions/build.py',
  'functions/db_migrate.zip',
];

describe('the generated repository', () => {
  for (const [name, changes] of Object.entries(VARIANTS)) {
    it(`${name}: has CI, hooks, lint, docs and test files, and every HCL and YAML file parses`, async () => {
      const files = renderVariant(changes);
      for (const path of REPO_FILES) assert.ok(files.has(path), `${path} missing`);
      for (const [path, contents] of files) {
        if (/\.(tf|tfvars|tftest\.hcl)$|^\.tflint\.hcl$/.test(path)) await parseHcl(path, contents as string);
        if (/\.ya?ml$/.test(path)) assert.doesNotThrow(() => parseYaml(contents as string, { strict: true, uniqueKeys: true }), path);
      }
    });
  }
});

describe('CI workflow', () => {
  const workflow = parseYaml(textOf(renderVariant(), '.github/workflows/terraform.yml')) as Json;

  it('runs on pull requests with read-only permissions', () => {
    assert.ok('pull_request' in workflow.on);
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    assert.deepEqual(Object.keys(workflow.jobs).sort(), ['docs', 'lambda-package', 'lint', 'test']);
    for (const job of Object.values<Json>(workflow.jobs)) assert.ok(job['timeout-minutes'] > 0, 'every job has a timeout');
  });

  it('tests on the lowest and the latest Terraform and OpenTofu, and never installs a release versions.tf refuses', async () => {
    const include = workflow.jobs.test.strategy.matrix.include as { tool: string; version: string; label?: string }[];
    assert.deepEqual(include, [
      { tool: 'terraform', version: TOOLS.terraformMin },
      { tool: 'terraform', version: TOOLS.terraformLatest, label: 'latest' },
      { tool: 'tofu', version: TOOLS.tofuMin },
      { tool: 'tofu', version: TOOLS.tofuLatest, label: 'latest' },
    ]);
    const required = (await parseModule(renderVariant())).terraform[0].required_version as string;
    // setup-terraform and setup-opentofu install the highest release that satisfies a range (semver's maxSatisfying).
    const setUp = (version: string, releases: string[]): string | null => (semver.valid(version) ? version : semver.maxSatisfying(releases, version));
    for (const { version } of include) {
      for (const releases of [['1.9.0', '1.14.9', '1.15.0'], ['1.15.0'], ['1.9.0', '1.15.0', '1.15.1'], ['1.15.0', '1.16.0-beta1']]) {
        const installed = setUp(version, releases);
        if (installed !== null) assert.ok(constraintAllows(installed, required), `${version} installs ${installed} from ${releases.join(', ')}, which versions.tf refuses`);
      }
    }
    assert.equal(setUp(TOOLS.terraformLatest, ['1.9.0', '1.14.9', '1.15.0']), '1.14.9', 'latest skips 1.15.0 while it is the newest');
    assert.equal(setUp(TOOLS.terraformLatest, ['1.15.0', '1.15.1', '1.16.0']), '1.16.0', 'latest is the newest release otherwise');
    assert.equal(workflow.jobs.test.name, '${{ matrix.tool }} ${{ matrix.label || matrix.version }}');
    const runs = (workflow.jobs.test.steps as Json[]).map((step) => step.run ?? '').join('\n');
    for (const command of ['fmt -check -recursive', 'init -backend=false', 'validate', 'test']) assert.ok(runs.includes(`\${{ matrix.tool }} ${command}`), command);
    const example = (workflow.jobs.test.steps as Json[]).find((step) => step['working-directory'] === 'examples/complete');
    assert.match(example.run, /test/);
  });

  it('lints with tflint, checks the docs block and the Lambda package', () => {
    const runs = (job: string) => (workflow.jobs[job].steps as Json[]).map((step) => step.run ?? '').join('\n');
    assert.match(runs('lint'), /tflint --init/);
    assert.match(runs('lint'), /tflint --recursive/);
    const docs = (workflow.jobs.docs.steps as Json[]).find((step) => String(step.uses).startsWith('terraform-docs/gh-actions@'));
    assert.equal(docs.with['fail-on-diff'], 'true');
    assert.equal(docs.with['output-method'], 'inject');
    assert.match(runs('lambda-package'), /python3 functions\/build\.py --check/);
  });

  it('never persists the checkout token', () => {
    for (const job of Object.values<Json>(workflow.jobs)) {
      for (const step of job.steps as Json[]) {
        if (String(step.uses).startsWith('actions/checkout@')) assert.equal(step.with['persist-credentials'], false);
      }
    }
  });
});

describe('generated workflows: every action pinned to a commit', () => {
  const files = renderVariant();
  const workflows = [...files.keys()].filter((path) => /^\.github\/workflows\/.+\.ya?ml$/.test(path));

  it('every uses: is owner/repo@<40-hex commit> # vX.Y.Z, one commit per action and release', () => {
    assert.ok(workflows.length >= 1);
    const pins = new Map<string, string>();
    let count = 0;
    for (const path of workflows) {
      const text = textOf(files, path);
      for (const use of pinnedUses(text, parseYaml(text))) {
        count++;
        const pin = `${use.sha} ${use.version}`;
        assert.equal(pins.get(use.action) ?? pin, pin, `${path}: ${use.action} pinned two ways`);
        pins.set(use.action, pin);
      }
    }
    assert.ok(count >= 6, `only ${count} uses`);
    // The pins are the table in tools.ts, nothing typed by hand elsewhere.
    assert.deepEqual(new Map(Object.values(ACTIONS).map((a) => [a.repo, `${a.sha} ${a.version}`])), pins);
  });

  it('the check fails on a tag, a short SHA or a missing release comment', () => {
    const workflow = (uses: string) => `jobs:\n  a:\n    steps:\n      - uses: ${uses}\n`;
    const parsedOf = (text: string) => parseYaml(text);
    const good = workflow('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2');
    assert.equal(pinnedUses(good, parsedOf(good)).length, 1);
    for (const bad of ['actions/checkout@v4.2.2', 'actions/checkout@11bd719 # v4.2.2', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4']) {
      assert.throws(() => pinnedUses(workflow(bad), parsedOf(workflow(bad))), bad);
    }
  });

  it('Dependabot proposes updates of the pinned actions', () => {
    const dependabot = parseYaml(textOf(files, '.github/dependabot.yml')) as Json;
    assert.ok((dependabot.updates as Json[]).some((u) => u['package-ecosystem'] === 'github-actions' && u.directory === '/'));
  });
});

describe('hooks, lint and docs configuration', () => {
  const files = renderVariant();

  it('pre-commit: pinned revisions and the hooks a Terraform repo needs', () => {
    const config = parseYaml(textOf(files, '.pre-commit-config.yaml')) as Json;
    const ids = (config.repos as Json[]).flatMap((repo) => {
      if (repo.repo !== 'local') assert.match(repo.rev, /^v\d+\.\d+\.\d+$/, repo.repo);
      return (repo.hooks as Json[]).map((hook) => hook.id);
    });
    for (const id of ['terraform_fmt', 'terraform_validate', 'terraform_tflint', 'terraform_docs', 'terraform_checkov', 'end-of-file-fixer', 'check-merge-conflict', 'lambda-package']) {
      assert.ok(ids.includes(id), id);
    }
  });

  it('tflint: the recommended terraform preset and a pinned AWS ruleset', async () => {
    const tflint = await parseHcl('.tflint.hcl', textOf(files, '.tflint.hcl'));
    assert.equal(tflint.plugin.terraform[0].preset, 'recommended');
    assert.equal(tflint.plugin.aws[0].version, TOOLS.tflintAws);
    assert.equal(tflint.plugin.aws[0].source, 'github.com/terraform-linters/tflint-ruleset-aws');
  });

  it('terraform-docs: inject into README.md between the markers', () => {
    const config = parseYaml(textOf(files, '.terraform-docs.yml')) as Json;
    assert.equal(config.formatter, 'markdown table');
    assert.equal(config.output.file, 'README.md');
    assert.equal(config.output.mode, 'inject');
    assert.match(config.output.template, /^<!-- BEGIN_TF_DOCS -->\n\{\{ \.Content \}\}\n<!-- END_TF_DOCS -->$/);
  });
});

describe('CHANGELOG.md', () => {
  it('quotes every answer as HCL that reads back as the answer (an empty map too)', async () => {
    for (const changes of [{}, { standard_tags: {}, access_list_cidr_blocks: [] }] as Answers[]) {
      const answers = variant(changes);
      const changelog = textOf(renderVariant(changes), 'CHANGELOG.md');
      const quoted = [...changelog.matchAll(/`([a-z0-9_]+) = ([^`]*)`/g)];
      assert.deepEqual(quoted.map((m) => m[1]).sort(), Object.keys(answers).sort());
      for (const [, name, value] of quoted) {
        const parsed = (await parseHcl('answer.tfvars', `${name} = ${value}\n`))[name!];
        assert.deepEqual(parsed, answers[name!], `${name} = ${value}`);
        assert.doesNotMatch(value!, /\s{2}/, `${name} = ${value}: written as people write it`);
      }
    }
  });
});

describe('README.md', () => {
  it('the terraform-docs block lists exactly the parsed variables and outputs, with their types, defaults and requiredness', async () => {
    const files = renderVariant();
    const readme = textOf(files, 'README.md');
    assert.equal(readme.split('<!-- BEGIN_TF_DOCS -->').length, 2, 'exactly one docs block');
    const block = readme.slice(readme.indexOf('<!-- BEGIN_TF_DOCS -->'), readme.indexOf('<!-- END_TF_DOCS -->'));
    const rows = (kind: string) =>
      [...block.matchAll(new RegExp(`^\\| <a name="${kind}_([^"]+)"></a> \\[\\1\\]\\(#${kind}_\\1\\) \\| (.*) \\|$`, 'gm'))].map((m) => [m[1] as string, (m[2] as string).split(' | ')] as const);
    const mod = await parseModule(files);
    const inputs = rows('input');
    assert.deepEqual(inputs.map(([name]) => name), Object.keys(mod.variable).sort());
    for (const [name, cells] of inputs) {
      const [variable] = mod.variable[name];
      const [description, type, fallback, required] = cells;
      assert.equal(description, variable.description, name);
      assert.equal(type, `\`${variable.type.replace(/^\$\{|\}$/g, '')}\``, name);
      assert.equal(required, 'default' in variable ? 'no' : 'yes', name);
      if ('default' in variable) assert.deepEqual(JSON.parse(String(fallback).replace(/^`|`$/g, '')), variable.default, name);
      else assert.equal(fallback, 'n/a', name);
    }
    const outputs = rows('output');
    assert.deepEqual(outputs.map(([name]) => name), Object.keys(mod.output).sort());
    for (const [name, [description]] of outputs) assert.equal(description, mod.output[name][0].description, name);
    assert.equal(inputs.length, MODULE_INPUTS.length);
  });

  it('explains the deployment with a diagram, state, the lock file, the Metaflow profile and the migration', () => {
    const readme = textOf(renderVariant(), 'README.md');
    const diagram = /```mermaid\n(flowchart LR\n[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    for (const part of ['Metaflow client', 'API Gateway', 'VPC link', 'Network Load Balancer', 'Fargate', 'RDS PostgreSQL', 'db_migrate Lambda', ':8082']) assert.ok(diagram.includes(part), part);
    assert.match(readme, /backend "s3"/);
    assert.match(readme, /use_lockfile = true/);
    assert.match(readme, /\.terraform\.lock\.hcl[\s\S]*Commit it/);
    assert.match(readme, /~\/\.metaflowconfig\/config\.json/);
    assert.match(readme, /aws lambda invoke --cli-read-timeout 910/);
    assert.match(readme, /## Re-generating/);
  });
  it('database TLS: the Dockerfile that adds the RDS CA bundle at the path the answers give, to the public image', () => {
    const path = '/opt/certs/rds-global-bundle.pem';
    const readme = textOf(renderVariant({ database_ssl_mode: 'verify-full', database_ssl_root_cert_path: path }), 'README.md');
    const dockerfile = /```dockerfile\n([\s\S]*?)```/.exec(readme.replace(/^ {2}/gm, ''))?.[1];
    assert.ok(dockerfile, 'a Dockerfile');
    const lines = dockerfile.trim().split('\n').map((line) => line.split(/\s+/));
    assert.deepEqual(lines, [
      ['FROM', String(INPUT_BY_NAME.get('metadata_service_container_image')!.example)],
      ['ADD', '--chmod=644', RDS_CA_BUNDLE_URL, path],
    ]);
  });
  it('API Gateway logging: shell commands that parse, for the answers\' region and partition, that check and set the account-wide role', () => {
    for (const name of ['demo', 'govcloud'] as const) {
      const answers = variant({ ...VARIANTS[name], enable_api_gateway_logging: true });
      const readme = textOf(renderVariant({ ...VARIANTS[name], enable_api_gateway_logging: true }), 'README.md');
      const section = readme.slice(readme.indexOf('\n## API Gateway logging\n'), readme.indexOf('\n## ', readme.indexOf('\n## API Gateway logging\n') + 1));
      const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
      assert.equal(blocks.length, 3, name);
      for (const script of blocks) {
        const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
        assert.equal(syntax.status, 0, `${name}: ${syntax.stderr}\n${script}`);
      }
      const [check, set, forget] = blocks as [string, string, string];
      const words = (script: string): string[] => script.replace(/\\\n/g, ' ').split(/\s+/);
      // A team that applied the old example with logging on takes its three resources out of the state.
      assert.deepEqual(words(forget).slice(0, 6), ['cd', 'examples/complete', 'terraform', 'state', 'rm', "'aws_api_gateway_account.this[0]'"]);
      assert.deepEqual(words(check).slice(0, 5), ['aws', 'apigateway', 'get-account', '--region', String(answers.aws_region)]);
      assert.ok(words(set).join(' ').includes(`aws apigateway update-account --region ${String(answers.aws_region)}`), set);
      assert.ok(words(set).includes(`arn:${String(answers.iam_partition)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`), set);
      const trust = JSON.parse(/--assume-role-policy-document '([^']+)'/.exec(set)![1]!) as { Statement: { Principal: { Service: string }; Action: string }[] };
      assert.deepEqual(trust.Statement.map((s) => [s.Principal.Service, s.Action]), [['apigateway.amazonaws.com', 'sts:AssumeRole']]);
    }
  });
});
