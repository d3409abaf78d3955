// Adoption, judged by real Terraform: a stand-in for outerbounds/terraform-aws-metaflow
// v0.12.1 (test/fixtures/adopt/, every resource of its metadata-service module at its
// address, with its names) is applied against a mocked aws provider; then, on the same
// state (terraform test run blocks sharing a state_key), the adopting render's
// examples/complete is planned with the real aws provider, offline (refresh off, the data
// sources that call AWS overridden), so that the provider itself says which changes it
// would make by replacing an object. Both ways of calling the old module: directly, and
// through the repository's root module. The plan must destroy exactly what the generated
// README says it destroys, and none of the REST API, stage, key, usage plan, load
// balancer, target groups, cluster and service. The adopting render's own test suites
// run too. Skipped (loudly) without terraform or the provider, as test/terraform.test.ts.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { VARIABLE_INPUTS, type Answers } from '../src/lib/inputs/catalogue.js';
import { MODULE_CALL } from '../src/lib/adopt/render.js';
import { OLD_RESOURCES, SOURCE, type OldResource } from '../src/lib/adopt/terraform-aws-metaflow.js';
import { hcl, hclString, type HclValue } from '../src/lib/render/hcl.js';
import { mockAccount } from '../src/lib/render/testcases.js';
import type { FileContent } from '../src/lib/render/render.js';
import { ROOT, renderVariant, tempDir, variant } from './helpers.js';
import { cliConfig, terraformHere } from './providers.js';

const exec = promisify(execFile);
const REQUIRED = process.env.REQUIRE_TERRAFORM === '1';
const here = await terraformHere();
// Run blocks share a state through state_key since Terraform 1.11 (hashicorp/terraform#36185).
const STATE_KEY_SINCE = [1, 11];
const [major = 0, minor = 0] = (here.version ?? '0.0').split('.').map(Number);
const tooOld = here.version !== undefined && (major < STATE_KEY_SINCE[0]! || (major === STATE_KEY_SINCE[0] && minor < STATE_KEY_SINCE[1]!));
if (tooOld) here.missing ??= `terraform ${here.version} has no state_key for test run blocks (Terraform 1.11 and later)`;
if (here.missing && !tooOld) {
  const why = `${here.missing}: the real-Terraform adoption tests are SKIPPED`;
  process.stderr.write(`\n!!! ${why}\n\n`);
  if (REQUIRED) it('real Terraform is required here (REQUIRE_TERRAFORM=1)', () => assert.fail(why));
} else if (tooOld) process.stderr.write(`\n!!! ${here.missing}: the real-Terraform adoption tests are SKIPPED\n\n`);

const FIXTURE = join(ROOT, 'test', 'fixtures', 'adopt', 'terraform-aws-metaflow-v0.12.1');
const ADOPT = { adopt_from: 'terraform-aws-metaflow' } as const;

/** The two ways of calling the old module: the caller in the fixture, its inputs there, and the adopting answers. */
const WAYS = {
  direct: {
    caller: 'direct',
    oldAddress: 'module.metaflow-metadata-service',
    // The module was given the affixes with their hyphens.
    answers: { ...ADOPT, adopt_module_address: 'module.metaflow-metadata-service', resource_prefix: 'metaflow-', resource_suffix: '-dev' },
    inputs: (a: Answers) => ({
      resource_prefix: 'metaflow-',
      resource_suffix: '-dev',
      enable_api_gateway: a.enable_api_gateway,
      enable_api_basic_auth: a.api_basic_auth,
      access_list_cidr_blocks: a.access_list_cidr_blocks,
      vpc_cidr_blocks: a.vpc_cidr_blocks,
      metaflow_vpc_id: a.metaflow_vpc_id,
      subnet1_id: a.subnet1_id,
      subnet2_id: a.subnet2_id,
      with_public_ip: a.with_public_ip,
      fargate_execution_role_arn: 'arn:aws:iam::123456789012:role/metaflow-ecs-execution-dev',
    }),
  },
  'through the root module': {
    caller: 'through-root',
    oldAddress: `module.metaflow.module.${SOURCE.rootCall}`,
    // The root module was given "metaflow" and no suffix; it passed "metaflow-" and "" on.
    answers: { ...ADOPT, adopt_module_address: `module.metaflow.module.${SOURCE.rootCall}`, resource_prefix: 'metaflow-', resource_suffix: '' },
    inputs: (a: Answers) => ({
      resource_prefix: 'metaflow',
      resource_suffix: '',
      metadata_service_enable_api_gateway: a.enable_api_gateway,
      metadata_service_enable_api_basic_auth: a.api_basic_auth,
      access_list_cidr_blocks: a.access_list_cidr_blocks,
      vpc_cidr_blocks: a.vpc_cidr_blocks,
      vpc_id: a.metaflow_vpc_id,
      subnet1_id: a.subnet1_id,
      subnet2_id: a.subnet2_id,
      with_public_ip: a.with_public_ip,
      ecs_execution_role_arn: 'arn:aws:iam::123456789012:role/metaflow-ecs-execution',
    }),
  },
} as const;
type Way = keyof typeof WAYS;
const slug = (way: Way): string => WAYS[way].caller;

/**
 * The control: the direct way's render without adopt_override.tf (the module's
 * own names), planned on the direct way's state (a plan changes no state). The
 * checks below must see the load balancer, target groups, cluster and service
 * replaced there, or they could not see it anywhere.
 */
const CONTROL = 'control';

/** The objects the brief of adoption names: none of them may be destroyed. */
const MUST_STAY = [
  'aws_api_gateway_rest_api.this[0]',
  'aws_api_gateway_stage.api[0]',
  'aws_api_gateway_api_key.this[0]',
  'aws_api_gateway_usage_plan.this[0]',
  'aws_lb.this',
  'aws_lb_target_group.api',
  'aws_lb_target_group.migration',
  'aws_ecs_cluster.this[0]',
  'aws_ecs_service.this',
];

/** An old resource's instance address (count-indexed ones exist once, [0], with API Gateway on), and where it goes. */
const instance = (r: OldResource): string => (r.when ? `${r.address}[0]` : r.address);
const target = (r: OldResource): string | undefined => (r.to === undefined ? undefined : r.when && !r.to.endsWith(']') ? `${r.to}[0]` : r.to);
const isReplaced = (r: OldResource): boolean => /^replaced/.test(r.changes ?? '');

function writeTree(dir: string, files: ReadonlyMap<string, FileContent>): void {
  for (const [path, contents] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

/** The harness's test file: each way's old deployment applied (mocked), then the adopting example planned (real provider) on its state. */
function harness(answers: Record<Way, Answers>): string {
  // [run name, way, rendered tree, state key, whether the old deployment is applied first]
  const ways: [string, Way, string, string, boolean][] = [
    ...(Object.keys(WAYS) as Way[]).map((way): [string, Way, string, string, boolean] => [slug(way), way, slug(way), slug(way), true]),
    [CONTROL, 'direct', CONTROL, slug('direct'), false],
  ];
  const demo = answers.direct;
  const m = mockAccount(demo, String(demo.aws_region));
  const arn = (service: string, resource: string, region = m.region): string => hclString(`arn:${m.partition}:${service}:${region}:${m.account}:${resource}`);
  const lines = [
    '# Written by test/adopt-terraform.test.ts.',
    'mock_provider "aws" {',
    '  alias = "mocked"',
    '',
    // ARNs and ids shaped like AWS's: the real provider validates the ones the new configuration reads from the state.
    ...Object.entries({
      aws_lb: { arn: arn('elasticloadbalancing', 'loadbalancer/net/metaflow-nlb/0123456789abcdef'), dns_name: hclString(`metaflow-nlb-0123456789abcdef.elb.${m.region}.amazonaws.com`) },
      aws_lb_target_group: { arn: arn('elasticloadbalancing', 'targetgroup/metaflow-mdtg/0123456789abcdef') },
      aws_iam_role: { arn: arn('iam', 'role/metaflow-role', '') },
      aws_ecs_cluster: { id: arn('ecs', 'cluster/metaflow'), arn: arn('ecs', 'cluster/metaflow') },
      aws_ecs_task_definition: { arn: arn('ecs', 'task-definition/metaflow-service:1') },
      aws_security_group: { id: '"sg-0123456789abcdef0"' },
      aws_lambda_function: { arn: arn('lambda', 'function:metaflow-db_migrate') },
      aws_cloudwatch_log_group: { arn: arn('logs', 'log-group:metaflow-metadata') },
    }).flatMap(([type, values]) => [`  mock_resource "${type}" {`, '    defaults = {', ...Object.entries(values).map(([k, v]) => `      ${k} = ${v}`), '    }', '  }', '']),
    '}',
    '',
    'provider "aws" {',
    `  region                      = ${hclString(m.region)}`,
    '  access_key                  = "AKIAIOSFODNN7EXAMPLE"',
    '  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    '  skip_credentials_validation = true',
    '  skip_requesting_account_id  = true',
    '  skip_metadata_api_check     = true',
    '}',
  ];
  for (const [name, way, tree, state, applied] of ways) {
    const a = answers[way];
    const acct = mockAccount(a, String(a.aws_region));
    if (applied) {
      lines.push(
        '',
        `run "${name}_before" {`,
        '  command   = apply',
        `  state_key = "${state}"`,
        '  providers = { aws = aws.mocked }',
        '',
        '  module {',
        `    source = "./fixture/${WAYS[way].caller}"`,
        '  }',
        '',
        '  variables {',
        `    inputs = ${hcl(WAYS[way].inputs(a) as unknown as HclValue, '    ')}`,
        '  }',
        '}',
      );
    }
    lines.push(
      '',
      `run "${name}_adopted" {`,
      '  command   = plan',
      `  state_key = "${state}"`,
      '  providers = { aws = aws }',
      '',
      '  module {',
      `    source = "./${tree}/examples/complete"`,
      '  }',
      '',
      '  plan_options {',
      '    refresh = false',
      '  }',
      '',
      '  variables {',
      ...VARIABLE_INPUTS.map((input) => `    ${input.name} = ${hcl(a[input.name] ?? null, '    ')}`),
      '  }',
      ...acct.subnets.flatMap((subnet, i) => [
        '',
        '  override_data {',
        `    target = module.${MODULE_CALL}.data.aws_subnet.${['first', 'second'][i]}`,
        `    values = { arn = ${hclString(subnet.arn)}, vpc_id = ${hclString(acct.vpcId)}, availability_zone = ${hclString(subnet.zone)} }`,
        '  }',
      ]),
      '',
      '  override_data {',
      `    target = module.${MODULE_CALL}.data.aws_caller_identity.current`,
      `    values = { account_id = ${hclString(acct.account)}, arn = ${hclString(`arn:${acct.partition}:iam::${acct.account}:role/terraform`)}, user_id = "AROAEXAMPLEEXAMPLE:terraform" }`,
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

interface ResourceChange {
  address: string;
  previous_address?: string;
  change: { actions: string[] };
}

describe(`adopting ${SOURCE.repository} ${SOURCE.release}, with real Terraform`, { skip: here.missing, concurrency: true }, () => {
  const work = tempDir('tf-adopt-');
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const answers = Object.fromEntries((Object.keys(WAYS) as Way[]).map((way) => [way, variant(WAYS[way].answers)])) as Record<Way, Answers>;
  const trees = Object.fromEntries((Object.keys(WAYS) as Way[]).map((way) => [way, renderVariant(WAYS[way].answers)])) as Record<Way, Map<string, FileContent>>;
  const harnessDir = join(work, 'harness');
  const started = Date.now();

  before(() => {
    mkdirSync(join(work, 'plugin-cache'), { recursive: true });
    writeFileSync(join(work, 'terraformrc'), cliConfig(here.providers, join(work, 'plugin-cache'), hclString));
    env.TF_CLI_CONFIG_FILE = join(work, 'terraformrc');
    cpSync(FIXTURE, join(harnessDir, 'fixture'), { recursive: true });
    for (const way of Object.keys(WAYS) as Way[]) writeTree(join(harnessDir, slug(way)), trees[way]);
    writeTree(join(harnessDir, CONTROL), new Map([...trees.direct].filter(([path]) => path !== 'adopt_override.tf')));
    writeFileSync(join(harnessDir, 'main.tf'), 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n');
    mkdirSync(join(harnessDir, 'tests'));
    writeFileSync(join(harnessDir, 'tests', 'adopt.tftest.hcl'), harness(answers));
  });
  after(() => {
    process.stderr.write(`real Terraform, adoption: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    rmSync(work, { recursive: true, force: true });
  });

  const tf = async (cwd: string, ...args: string[]): Promise<string> => {
    try {
      return (await exec('terraform', [...args, '-no-color'], { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      return assert.fail(`terraform ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
  };

  /**
   * `terraform test -verbose -json` in the harness: each plan run's JSON plan
   * (terraform show -json's shape) and each apply run's state. Those lines
   * carry the provider's whole schema too: only they are parsed.
   */
  let outcome: Promise<{ plans: Map<string, ResourceChange[]>; states: Map<string, string[]>; failures: string[] }> | undefined;
  const runHarness = () =>
    (outcome ??= (async () => {
      await tf(harnessDir, 'init', '-backend=false', '-input=false');
      const child = spawn('terraform', ['test', '-verbose', '-json', '-no-color'], { cwd: harnessDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const plans = new Map<string, ResourceChange[]>();
      const states = new Map<string, string[]>();
      const failures: string[] = [];
      const addresses = (module: { resources?: { address: string; mode: string }[]; child_modules?: unknown[] } | undefined): string[] => [
        ...(module?.resources ?? []).filter((r) => r.mode === 'managed').map((r) => r.address),
        ...((module?.child_modules ?? []) as never[]).flatMap(addresses),
      ];
      for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line) as Record<string, any>;
        const run = message['@testrun'] as string | undefined;
        if (message.type === 'test_plan' && run) plans.set(run, message.test_plan.resource_changes ?? []);
        else if (message.type === 'test_state' && run) states.set(run, addresses(message.test_state.root_module));
        else if (message.type === 'diagnostic' && message['@level'] === 'error') failures.push(`${message['@message']}: ${message.diagnostic?.detail ?? ''}`);
        else if (message.type === 'test_run' && message.test_run?.status && !['pass', 'pending'].includes(message.test_run.status)) failures.push(`run ${run}: ${message.test_run.status}`);
      }
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, `terraform test failed:\n${failures.join('\n')}\n${stderr}`);
      return { plans, states, failures };
    })());

  for (const way of Object.keys(WAYS) as Way[]) {
    const old = WAYS[way].oldAddress;
    const moved = (address: string): string => `module.${MODULE_CALL}.${address}`;
    it(`${way}: the stand-in holds every resource the old module creates, at ${old}`, async () => {
      const { states } = await runHarness();
      const state = states.get(`${slug(way)}_before`);
      assert.ok(state, 'the apply run printed its state');
      assert.deepEqual([...state].sort(), OLD_RESOURCES.map((r) => `${old}.${instance(r)}`).sort());
    });

    it(`${way}: the plan destroys none of the API, stage, key, usage plan, load balancer, target groups, cluster and service: each is moved, then updated in place or left`, async () => {
      const { plans } = await runHarness();
      const plan = plans.get(`${slug(way)}_adopted`);
      assert.ok(plan, 'the plan run printed its plan');
      for (const address of MUST_STAY) {
        const change: ResourceChange | undefined = plan.find((c) => c.address === moved(address));
        assert.ok(change, `${moved(address)} is in the plan`);
        const from = OLD_RESOURCES.find((r) => target(r) === address);
        assert.ok(from, `${address} is where an old resource goes`);
        assert.equal(change.previous_address ?? change.address, `${old}.${instance(from)}`, `${address} is the old ${instance(from)}`);
        assert.ok(['no-op', 'update'].includes(change.change.actions.join()), `${address}: ${change.change.actions.join('+')}`);
      }
    });

    it(`${way}: the plan destroys exactly what the generated README says it destroys or replaces, and moves everything else`, async () => {
      const { plans } = await runHarness();
      const plan = plans.get(`${slug(way)}_adopted`) ?? [];
      const bySource = new Map<string, ResourceChange>(plan.map((c): [string, ResourceChange] => [c.previous_address ?? c.address, c]));
      for (const r of OLD_RESOURCES) {
        const change: ResourceChange | undefined = bySource.get(`${old}.${instance(r)}`);
        assert.ok(change, `${old}.${instance(r)} is in the plan`);
        const actions = change.change.actions;
        if (r.destroyed) assert.deepEqual(actions, ['delete'], `${instance(r)} is destroyed`);
        else {
          assert.equal(change.address, moved(target(r) as string), `${instance(r)} moves to ${target(r)}`);
          if (isReplaced(r)) assert.deepEqual([...actions].sort(), ['create', 'delete'], `${instance(r)} is replaced`);
          else assert.ok(!actions.includes('delete'), `${instance(r)}: ${actions.join('+')}`);
        }
      }
      const destroyed = plan.filter((c) => c.change.actions.includes('delete')).map((c) => c.previous_address ?? c.address);
      const expected = OLD_RESOURCES.filter((r) => r.destroyed || isReplaced(r)).map((r) => `${old}.${instance(r)}`);
      assert.deepEqual(destroyed.sort(), expected.sort());
    });
  }

  it('the control: without adopt_override.tf (the module\'s own names) the same checks see the load balancer, target groups, cluster and service replaced', async () => {
    const { plans } = await runHarness();
    const plan = plans.get(`${CONTROL}_adopted`) ?? [];
    for (const address of ['aws_lb.this', 'aws_lb_target_group.api', 'aws_lb_target_group.migration', 'aws_ecs_cluster.this[0]', 'aws_ecs_service.this']) {
      const change = plan.find((c) => c.address === `module.${MODULE_CALL}.${address}`);
      assert.deepEqual([...(change?.change.actions ?? [])].sort(), ['create', 'delete'], `${address} is replaced for its new name`);
    }
  });

  // The adopting render's own test suites, where adoption changes them. The
  // module's files are the same for every answer, and test/terraform.test.ts runs
  // the default module's suites. Here, in the adopting render (through the root
  // module), the runs whose text adoption changes: those that only assert the
  // names it keeps (the module's and the partitions' tests) are checked to differ
  // in those assertions alone (test/adopt.test.ts holds that the override builds
  // exactly the names of the table the assertions are written from); the IAM
  // policies that name the kept objects, and the validation rules of the adopted
  // affixes, run with real Terraform, each file with its own preamble
  // (providers, overrides, variables). The other runs assert nothing
  // adopt_override.tf changes (no names, no security groups); the example is
  // planned by the harness above, with the real provider.
  it('the adopting render passes the runs of its own tests that adoption changes', async () => {
    await runHarness(); // the provider is cached by then
    const dir = join(harnessDir, slug('through the root module'));
    const plain = renderVariant();
    const runs = (text: string): Map<string, string> =>
      new Map([...text.matchAll(/^run "([^"]+)" \{\n[\s\S]*?^\}\n/gm)].map((m) => [m[1] as string, m[0]]));
    const changedRuns = (path: string): [string, string, string][] => {
      const before = runs(String(plain.get(path) ?? ''));
      return [...runs(String(trees['through the root module'].get(path)))].filter(([name, text]) => before.get(name) !== text).map(([name, text]) => [name, before.get(name) ?? '', text]);
    };
    // Only the assertions of names differ in these: an assert's condition naming a role, and its message.
    const NAMES_ONLY: Record<string, string[]> = {
      'tests/module.tftest.hcl': ['dedicated_execution_role', 'defaults_plan'],
      'tests/govcloud.tftest.hcl': ['plan'],
      'tests/china.tftest.hcl': ['plan'],
    };
    for (const [path, expected] of Object.entries(NAMES_ONLY)) {
      const changed = changedRuns(path);
      assert.deepEqual(changed.map(([name]) => name).sort(), expected, path);
      for (const [name, before, after] of changed) {
        const lines = (text: string): Set<string> => new Set(text.split('\n'));
        const differing = [...lines(after)].filter((line) => !lines(before).has(line));
        for (const line of differing) assert.match(line, /^ {4}(condition += .*aws_iam_role\.[a-z_]+(\[0\])?\.name ==|error_message = )/, `${path} ${name}: ${line}`);
      }
    }
    const RUN = ['tests/iam.tftest.hcl', 'tests/validation.tftest.hcl'];
    let total = 0;
    for (const path of [...trees['through the root module'].keys()].filter((p) => /^tests\/[^/]+\.tftest\.hcl$/.test(p))) {
      const changed = RUN.includes(path) ? changedRuns(path) : [];
      if (RUN.includes(path)) assert.ok(changed.length > 0, `adoption changes runs of ${path}`);
      if (changed.length === 0) {
        rmSync(join(dir, path));
        continue;
      }
      const ours = String(trees['through the root module'].get(path));
      writeFileSync(join(dir, path), `${ours.slice(0, ours.search(/^run "/m))}${changed.map(([, , text]) => text).join('\n')}`);
      total += changed.length;
    }
    await tf(dir, 'init', '-backend=false', '-input=false');
    const output = await tf(dir, 'test');
    assert.match(output, new RegExp(`Success! ${total} passed, 0 failed\\.`), output);
  });
});
