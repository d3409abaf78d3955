// Adopting a deployment of outerbounds/terraform-aws-metaflow (src/lib/adopt/):
// the validators, the name tables against the HCL the adopting render builds,
// the moves against the module's resources, the old module's inputs in an
// answers file, the prompt, the bin (stored answers, errors that write
// nothing, a re-run that keeps adopting), and the default render, which the
// adopting code must leave byte for byte as it was. test/adopt-terraform.test.ts
// runs the adoption itself against real Terraform.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ADOPTABLE,
  ADOPTED_AFFIX_MAX_COMBINED,
  ADOPTED_NAMES,
  ADOPTED_PREFIX_HCL,
  ADOPTED_SUFFIX_HCL,
  LEGACY_INPUTS,
  MODULE_MOVES,
  OLD_INPUTS,
  OLD_RESOURCES,
  SOURCE,
  adoptSource,
  adoptedAffix,
  adoptedCluster,
  moduleAddress,
  nameOf,
  parseModuleAddress,
} from '../src/lib/adopt/terraform-aws-metaflow.js';
import { adoption } from '../src/lib/adopt/render.js';
import { AnswersError, checkInput, complete, readAnswers, settleLegacy, storable } from '../src/lib/intake/answers.js';
import { gatherAnswers } from '../src/lib/intake/store.js';
import { questionsFor, summary } from '../src/lib/intake/prompts.js';
import { INPUTS, INPUT_BY_NAME, VARIABLE_INPUTS, type Answers } from '../src/lib/inputs/catalogue.js';
import { DERIVED_NAMES, derivedName, nameBreaks } from '../src/lib/inputs/validators.js';
import { hclAddress, hclTemplate } from '../src/lib/render/hcl.js';
import { ADOPT_TEMPLATES, render, type FileContent } from '../src/lib/render/render.js';
import { TEMPLATES_DIR } from '../src/lib/package.js';
import { validationRounds } from '../src/lib/render/testcases.js';
import { CONTRACT, DEMO_FILE, ROOT, VARIANTS, block, demoAnswers, formatHcl, literal, parseHcl, parseModule, tempDir, textOf, variant, type Json } from './helpers.js';

const ADOPTING: Answers = {
  adopt_from: 'terraform-aws-metaflow',
  adopt_module_address: `module.metaflow.module.${SOURCE.rootCall}`,
  resource_prefix: 'metaflow-',
  resource_suffix: '-dev',
};
const adopted = (changes: Answers = {}): Map<string, FileContent> => render(variant({ ...ADOPTING, ...changes }), { version: '0.0.0-test' });
const settings = { numRuns: 2_000, seed: 20261202 };

describe('adopting: validators', () => {
  it('adopt_from names a deployment this generator can adopt', () => {
    assert.equal(adoptSource('terraform-aws-metaflow'), undefined);
    for (const bad of ['terraform-aws-metaflow ', 'outerbounds/terraform-aws-metaflow', 'TERRAFORM-AWS-METAFLOW', '']) assert.match(adoptSource(bad) ?? '', /not a deployment this generator can adopt/, bad);
  });

  it('the affixes are taken as the old module was given them: its hyphens, an empty suffix, letters of either case', () => {
    for (const [prefix, suffix] of [
      ['metaflow-', '-dev'],
      ['metaflow-', ''],
      ['', '-dev'],
      ['Metaflow-', '-Prod-2'],
      ['mf', 'dev'],
    ]) {
      assert.equal(adoptedAffix(prefix!, suffix, 'resource_suffix'), undefined, `${prefix} ${suffix}`);
      assert.equal(adoptedAffix(suffix!, prefix, 'resource_prefix'), undefined, `${prefix} ${suffix}`);
    }
  });

  it('refuses affixes that would make a name AWS refuses, naming the name and the rule', () => {
    assert.match(adoptedAffix('-metaflow', '-dev', 'resource_suffix') ?? '', /may not begin with a hyphen/);
    assert.match(adoptedAffix('dev-', 'metaflow-', 'resource_prefix') ?? '', /may not end with a hyphen/);
    assert.match(adoptedAffix('meta_flow-', '-dev', 'resource_suffix') ?? '', /only letters, digits and hyphens/);
    assert.match(adoptedAffix('internal-', '-dev', 'resource_suffix') ?? '', /load balancer name "internal-nlb-dev" would begin with "internal-"/);
    assert.match(adoptedAffix('sg-', '-dev', 'resource_suffix') ?? '', /security group name "sg-metadata-service-security-group-dev" would begin with "sg-"/);
    assert.match(adoptedAffix('a'.repeat(25), '-dev', 'resource_suffix') ?? '', new RegExp(`at most ${ADOPTED_AFFIX_MAX_COMBINED} characters together`));
    assert.match(adoptedAffix('', '', 'resource_suffix') ?? '', /cannot both be empty/);
    assert.equal(ADOPTED_AFFIX_MAX_COMBINED, 32 - 'mdtg'.length, 'the target groups ({prefix}mdtg{suffix}, 32 characters) are the tightest');
  });

  it('property: every affix pair within the rules is accepted, and every name then built is one AWS accepts', () => {
    const affix = fc.string({ unit: fc.constantFrom(...'abcXYZ019-'.split('')), maxLength: 14 });
    fc.assert(
      fc.property(affix, affix, (prefix, suffix) => {
        const legal = /^(?:[A-Za-z0-9][A-Za-z0-9-]*)?$/.test(prefix) && /^(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(suffix) && prefix.length + suffix.length > 0 && !/^(internal-|sg-)/.test(prefix);
        const problems = [adoptedAffix(prefix, suffix, 'resource_suffix'), adoptedAffix(suffix, prefix, 'resource_prefix')].filter(Boolean);
        assert.equal(problems.length === 0, legal, `${JSON.stringify([prefix, suffix])}: ${problems.join('; ')}`);
        if (legal) assert.deepEqual(nameBreaks(prefix, suffix, ADOPTED_NAMES), []);
      }),
      settings,
    );
  });

  it('adopt_module_address: module.<name>, through the root module module.<name>.module.metaflow-metadata-service, with instance keys', () => {
    assert.deepEqual(parseModuleAddress('module.metaflow.module.metaflow-metadata-service'), [
      { kind: 'module', name: 'metaflow' },
      { kind: 'module', name: 'metaflow-metadata-service' },
    ]);
    assert.deepEqual(parseModuleAddress('module.envs["prod"].module.m[2]'), [
      { kind: 'module', name: 'envs', key: 'prod' },
      { kind: 'module', name: 'm', key: 2 },
    ]);
    for (const bad of ['module.x.', 'metaflow', 'module.x.aws_lb.this', 'module.1x', 'module.x["a b"]', 'module.x["a"', '', 'module.x[-1]']) assert.equal(typeof parseModuleAddress(bad), 'string', bad);
    const on = { adopt_from: 'terraform-aws-metaflow' };
    assert.equal(moduleAddress('module.metaflow-metadata-service', on), undefined);
    assert.match(moduleAddress(null, on) ?? '', /is needed to adopt/);
    assert.match(moduleAddress('module.x', { adopt_from: null }) ?? '', /only when adopting/);
    assert.equal(moduleAddress(null, { adopt_from: null }), undefined);
  });

  it('ecs_cluster_id must stay null: the old module always made its cluster, and the service stays in it', () => {
    assert.equal(adoptedCluster(null), undefined);
    assert.match(adoptedCluster('arn:aws:ecs:us-east-1:123456789012:cluster/shared') ?? '', /must be null when adopting/);
    const answers = { ...demoAnswers(), ...ADOPTING, ecs_cluster_id: 'arn:aws:ecs:us-east-1:123456789012:cluster/shared' };
    assert.throws(() => complete(answers), (error: AnswersError) => error.errors.some((e) => e.field === 'ecs_cluster_id' && /must be null when adopting/.test(e.message)));
  });

  it('each HCL rule the adopting variables.tf holds refuses its failing value in the generator too, and no valid answer breaks one', () => {
    const base = complete({ ...demoAnswers(), ...ADOPTING });
    for (const [name, rules] of [['resource_prefix', ADOPTED_PREFIX_HCL], ['resource_suffix', ADOPTED_SUFFIX_HCL]] as const) {
      for (const rule of rules) {
        const answers = { ...base, ...rule.context, [name]: rule.invalid };
        assert.ok(checkInput(INPUT_BY_NAME.get(name)!, rule.invalid, answers), `${name}: ${JSON.stringify(rule.invalid)} should fail "${rule.message}"`);
      }
    }
    // The module's rules do refuse the adopted affixes: the adopting render swaps them.
    assert.ok(checkInput(INPUT_BY_NAME.get('resource_prefix')!, 'metaflow-', { ...base, adopt_from: null }));
  });
});

describe('adopting: HCL the generator writes for it', () => {
  it('hclTemplate interpolates only the generator\'s own references and escapes the text', async () => {
    assert.equal(hclTemplate('{prefix}nlb{suffix}', { prefix: 'var.resource_prefix', suffix: 'var.resource_suffix' }), '"${var.resource_prefix}nlb${var.resource_suffix}"');
    const text = hclTemplate('${ x } %{ y } "q" {region}', {}, { region: 'a"b${c}' });
    assert.equal(literal((await parseHcl('t.tf', `x = ${text}\n`)).x), '${ x } %{ y } "q" a"b${c}');
    assert.throws(() => hclTemplate('{nope}', {}), /no value for \{nope\}/);
    assert.throws(() => hclTemplate('{p}', { p: 'var.x}${file("/etc/passwd")' }), /not a reference/);
  });

  it('hclAddress writes checked steps only, string keys quoted', async () => {
    const address = hclAddress([
      { kind: 'module', name: 'metaflow' },
      { kind: 'module', name: 'envs', key: 'prod-1' },
      { kind: 'aws_ecs_cluster', name: 'this', key: 0 },
    ]);
    assert.equal(address, 'module.metaflow.module.envs["prod-1"].aws_ecs_cluster.this[0]');
    const parsed = await parseHcl('m.tf', `moved {\n  from = ${address}\n  to   = module.x\n}\n`);
    assert.equal(parsed.moved[0].from, `\${${address}}`);
    for (const bad of [[{ kind: 'module', name: 'a b' }], [{ kind: 'module', name: 'x', key: 'a"b' }], [{ kind: 'module', name: 'x', key: -1 }], []]) {
      assert.throws(() => hclAddress(bad as never), JSON.stringify(bad));
    }
  });
});

describe('adopting: the old module, read from its release', () => {
  it('its inputs are the seed\'s 23 less the secret ARN, api_basic_auth and ecs_cluster_id, plus five of its own: 25', () => {
    assert.equal(OLD_INPUTS.length, 25);
    const seed = new Set(Object.keys(CONTRACT.inputs));
    const old = new Set(OLD_INPUTS.map((i) => i.name));
    assert.deepEqual([...seed].filter((n) => !old.has(n)).sort(), ['api_basic_auth', 'database_password_secret_manager_arn', 'ecs_cluster_id']);
    assert.deepEqual([...old].filter((n) => !seed.has(n)).sort(), ['database_password', 'database_ssl_mode', 'db_migrate_lambda_zip_file', 'enable_api_basic_auth', 'enable_api_gateway']);
    // An answers file written for the old module: every input it has and this generator has not is read when adopting.
    assert.deepEqual(
      [...old].filter((n) => !INPUT_BY_NAME.has(n)).sort(),
      Object.keys(LEGACY_INPUTS).sort(),
    );
  });

  it('every resource is kept at an address the module declares, or destroyed, and the moves are exactly the kept ones that change address', async () => {
    const mod = await parseModule(adopted());
    const declared = new Set<string>();
    for (const [type, byName] of Object.entries<Json>(mod.resource)) for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
    for (const r of OLD_RESOURCES) {
      assert.ok(Boolean(r.to) !== Boolean(r.destroyed), `${r.address}: kept or destroyed, not both`);
      if (r.to) assert.ok(declared.has(r.to.replace(/\[\d+\]$/, '')), `${r.address} goes to ${r.to}, which the module declares`);
    }
    const moves = (mod.moved as Json[]).map((m) => ({ from: m.from.replace(/^\$\{|\}$/g, ''), to: m.to.replace(/^\$\{|\}$/g, '') }));
    assert.deepEqual(moves, MODULE_MOVES);
    assert.deepEqual(
      moves.map((m) => m.from),
      OLD_RESOURCES.filter((r) => r.to && r.to !== r.address).map((r) => r.address),
    );
    // Moved away, so not declared any more (a resource that only gains an index, [0], is the same one).
    for (const { from, to } of moves) assert.ok(!declared.has(from) || to.startsWith(`${from}[`), `${from} is moved away, so the module must not declare it`);
  });

  it('the names it gave are the names the adopting module keeps, wherever a new name would replace the object', () => {
    const byOld = (address: string) => OLD_RESOURCES.find((r) => r.address === address)!;
    const cases: [string, string][] = [
      ['aws_lb.this', 'nlb_name'],
      ['aws_lb_target_group.this', 'tg_api_name'],
      ['aws_lb_target_group.db_migrate', 'tg_mig_name'],
      ['aws_ecs_service.this', 'aws_ecs_service.this'],
      ['aws_ecs_cluster.this', 'aws_ecs_cluster.this'],
      ['aws_security_group.metadata_service_security_group', 'aws_security_group.metadata_service'],
      ['aws_iam_role.metadata_svc_ecs_task_role', 'aws_iam_role.task'],
      ['aws_iam_role.lambda_ecs_execute_role', 'aws_iam_role.db_migrate'],
      ['aws_lambda_function.db_migrate_lambda', 'aws_lambda_function.db_migrate'],
      ['aws_cloudwatch_log_group.this', 'aws_cloudwatch_log_group.service_before_adoption'],
    ];
    for (const [prefix, suffix] of [['metaflow-', '-dev'], ['metaflow-', ''], ['mf--', '--x']]) {
      const a = adoption(variant({ ...ADOPTING, resource_prefix: prefix!, resource_suffix: suffix! }));
      for (const [old, id] of cases) {
        const built = a.resources.find((r) => r.address === old)?.builtName;
        assert.equal(nameOf(ADOPTED_NAMES, id, prefix!, suffix!), built, `${old} (${byOld(old).name}) with ${prefix} ${suffix}`);
      }
    }
    // Every other name of the module follows the service's.
    for (const d of DERIVED_NAMES) {
      const kept = cases.some(([, id]) => id === d.id);
      const name = nameOf(ADOPTED_NAMES, d.id, 'p-', '-s', 'us-east-1');
      if (!kept) assert.ok(name.includes('p-metadata-service-s') || name.includes('p-metadata-s-us-east-1'), `${d.id}: ${name}`);
    }
  });

  it('the adopting module builds exactly the names of the adopted table (the override merged as Terraform merges it)', async () => {
    const files = adopted();
    const mod = await parseModule(new Map([...files].filter(([path]) => !path.endsWith('_override.tf'))));
    const override = await parseHcl('adopt_override.tf', textOf(files, 'adopt_override.tf'));
    const locals: Record<string, string> = Object.assign({}, ...mod.locals, ...override.locals);
    const resource = (type: string, name: string): Json => ({ ...block(mod, 'resource', type, name), ...block(override, 'resource', type, name) });
    const expand = (expression: string): string => {
      let out = expression;
      for (let i = 0; i < 5; i++) out = out.replace(/\$\{local\.([a-z_]+)\}/g, (_, name: string) => (name === 'region' ? '{region}' : String(locals[name])));
      return out.replace(/\$\{var\.resource_prefix\}/g, '{prefix}').replace(/\$\{var\.resource_suffix\}/g, '{suffix}').replace(/\$\{local\.region\}/g, '{region}');
    };
    const collapse = (text: string) => text.replace(/^\$\{replace\("(.*)", "--", "-"\)\}$/, '$1');
    const built: Record<string, string> = {
      nlb_name: expand(locals.nlb_name!),
      tg_api_name: expand(locals.tg_api_name!),
      tg_mig_name: expand(locals.tg_mig_name!),
      'aws_ecs_cluster.this': collapse(expand(resource('aws_ecs_cluster', 'this').name)),
      'aws_ecs_service.this': expand(resource('aws_ecs_service', 'this').name),
      'aws_security_group.metadata_service': expand(resource('aws_security_group', 'metadata_service').name),
      'aws_iam_role.task': expand(resource('aws_iam_role', 'task').name),
      'aws_iam_role.db_migrate': expand(resource('aws_iam_role', 'db_migrate').name),
      'aws_iam_role.execution': expand(resource('aws_iam_role', 'execution').name),
      'aws_lambda_function.db_migrate': expand(resource('aws_lambda_function', 'db_migrate').function_name),
      'aws_cloudwatch_log_group.service': expand(resource('aws_cloudwatch_log_group', 'service').name),
      'aws_cloudwatch_log_group.service_before_adoption': expand(resource('aws_cloudwatch_log_group', 'service_before_adoption').name),
      'aws_ecs_task_definition.schema_upgrade': expand(resource('aws_ecs_task_definition', 'schema_upgrade').family),
      'aws_cloudwatch_event_rule.secret_rotated': expand(resource('aws_cloudwatch_event_rule', 'secret_rotated').name),
    };
    for (const [id, template] of Object.entries(built)) assert.equal(template, ADOPTED_NAMES.find((d) => d.id === id)?.template, id);
    assert.equal(resource('aws_security_group', 'metadata_service').name_prefix, null, 'the kept group has a name, not a prefix');
    assert.equal(literal(resource('aws_security_group', 'metadata_service').description), 'Security Group for Fargate which runs the Metadata Service.');
    assert.equal(resource('aws_lb', 'this').security_groups, null, 'AWS adds a security group only to a new load balancer');
  });
});

describe('adopting: the old module\'s inputs in an answers file', () => {
  const file = (data: unknown): string => {
    const dir = tempDir('adopt-answers-');
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(data));
    return join(dir, 'answers.json');
  };
  const old = { ...demoAnswers(), resource_prefix: 'metaflow-', resource_suffix: '-dev', enable_api_basic_auth: false, database_password: 'hunter2hunter2', db_migrate_lambda_zip_file: '/tmp/x.zip', is_gov: true };
  delete (old as Answers).api_basic_auth;

  it('adopting: read under our names or left out, the password never kept, is_gov following iam_partition', () => {
    const gathered = gatherAnswers(tempDir('target-'), file({ ...old, ...ADOPTING }), {});
    assert.deepEqual(gathered.errors, []);
    const answers = complete(gathered.answers);
    assert.equal(answers.api_basic_auth, false);
    assert.equal(answers.is_gov, false, 'the partition is aws');
    assert.ok(!('database_password' in answers) && !('db_migrate_lambda_zip_file' in answers) && !('enable_api_basic_auth' in answers));
    assert.doesNotMatch(JSON.stringify(answers), /hunter2/);
    assert.equal(answers.resource_prefix, 'metaflow-');
  });

  it('adopt_from from a flag is enough for the file\'s old inputs', () => {
    const gathered = gatherAnswers(tempDir('target-'), file({ ...old, adopt_module_address: 'module.m' }), { 'adopt-from': 'terraform-aws-metaflow' });
    assert.deepEqual(gathered.errors, []);
    assert.equal(gathered.answers.api_basic_auth, false);
  });

  it('not adopting: each old input is an error naming it, and saying what it is here', () => {
    const { errors } = gatherAnswers(tempDir('target-'), file({ ...demoAnswers(), enable_api_basic_auth: false, database_password: 'x' }), {});
    assert.deepEqual(errors.map((e) => e.field).sort(), ['database_password', 'enable_api_basic_auth']);
    assert.match(errors.find((e) => e.field === 'enable_api_basic_auth')!.message, /read only when adopting.*this generator calls it api_basic_auth/);
    assert.doesNotMatch(JSON.stringify(errors), /"x"/);
  });

  it('a wrong type, or the same input given twice with two values, is an error naming the old input', () => {
    const wrong = settleLegacy(readAnswers({ ...ADOPTING, enable_api_basic_auth: 'maybe' }));
    assert.equal(wrong.errors[0]?.field, 'enable_api_basic_auth');
    assert.match(wrong.errors[0]!.message, /expected true or false/);
    assert.equal(settleLegacy(readAnswers({ ...ADOPTING, enable_api_basic_auth: 'no' })).answers.api_basic_auth, false, 'the words a boolean takes');
    const twice = settleLegacy(readAnswers({ ...ADOPTING, enable_api_basic_auth: false, api_basic_auth: true }));
    assert.match(twice.errors[0]?.message ?? '', /api_basic_auth, the same input here, is true/);
    assert.deepEqual(settleLegacy(readAnswers({ ...ADOPTING, enable_api_basic_auth: true, api_basic_auth: true })).errors, []);
  });
});

describe('adopting: the prompt', () => {
  it('a new deployment is asked nothing about adoption; adopting (--adopt-from), the address is asked, and --ask-answered offers none first', () => {
    assert.deepEqual(questionsFor('adopt', {}).filter((q) => q.when({})).map((q) => q.name), [], 'nothing asked of a new deployment');
    const known = { adopt_from: 'terraform-aws-metaflow' };
    assert.deepEqual(questionsFor('adopt', known).filter((q) => q.when({})).map((q) => q.name), ['adopt_module_address']);
    const [from] = questionsFor('adopt', known, true);
    assert.equal(from?.name, 'adopt_from');
    assert.equal(from?.when({}), true);
    assert.deepEqual(from?.source?.('')?.map((c) => c.value), ['', ...ADOPTABLE]);
    assert.equal(from?.validate?.(''), true, 'none is an answer');
    assert.match(String(from?.validate?.('terraform-aws-metaflow-v1')), /is not one of terraform-aws-metaflow/);
    assert.equal(INPUTS[0]?.name, 'adopt_from');
  });

  it('a prefix with the old module\'s hyphen, for a new deployment, is refused pointing to --adopt-from', () => {
    const problem = checkInput(INPUT_BY_NAME.get('resource_prefix')!, 'metaflow-', { resource_suffix: 'dev' });
    assert.match(problem ?? '', /run with --adopt-from terraform-aws-metaflow/);
    assert.doesNotMatch(checkInput(INPUT_BY_NAME.get('resource_prefix')!, 'Metaflow', { resource_suffix: 'dev' }) ?? '', /adopt/);
  });

  it('a new deployment\'s summary and stored answers hold nothing of adoption; an adopting one\'s hold it', () => {
    const plain = complete(demoAnswers());
    assert.doesNotMatch(summary(plain), /adopt/);
    assert.ok(!('adopt_from' in storable(plain)) && !('adopt_module_address' in storable(plain)));
    const adopting = complete({ ...demoAnswers(), ...ADOPTING });
    assert.match(summary(adopting), /Adopting an existing deployment\n {4}adopt_from +terraform-aws-metaflow/);
    assert.equal(storable(adopting).adopt_module_address, ADOPTING.adopt_module_address);
  });

  it('an empty suffix is an answer when adopting (through the root module), and "is required" otherwise', () => {
    const suffix = questionsFor('naming', {}).find((q) => q.name === 'resource_suffix')!;
    assert.equal(suffix.validate?.('', { resource_prefix: 'metaflow-', adopt_from: 'terraform-aws-metaflow' }), true);
    assert.equal(suffix.validate?.('', { resource_prefix: 'metaflow' }), 'resource_suffix: is required');
    const gov = questionsFor('naming', {}).find((q) => q.name === 'is_gov')!;
    assert.equal(gov.when({ iam_partition: 'aws-us-gov', adopt_from: 'terraform-aws-metaflow' }), false, 'adopting, is_gov follows the partition');
  });
});

describe('adopting: what is rendered', () => {
  it('every HCL file parses and is in terraform fmt style, with no interpolation-only string', async () => {
    for (const changes of [{}, { resource_suffix: '' }, { adopt_module_address: 'module.metadata_service' }] as Answers[]) {
      const files = adopted(changes);
      for (const [path, source] of files) {
        if (typeof source !== 'string' || !/\.(tf|tftest\.hcl|tfvars)$/.test(path)) continue;
        await parseHcl(path, source);
        assert.equal(await formatHcl(source), source, `${path} is not in terraform fmt style`);
        assert.doesNotMatch(source, /"\$\{[^}]*\}"/, `${path} has an interpolation-only string`);
      }
    }
  });

  it('the caller\'s move: from the old address to module.metadata_service, none when the call keeps its address', async () => {
    const through = await parseHcl('adopt.tf', textOf(adopted(), 'examples/complete/adopt.tf'));
    assert.deepEqual(through.moved, [{ from: '${module.metaflow.module.metaflow-metadata-service}', to: '${module.metadata_service}' }]);
    const direct = await parseHcl('adopt.tf', textOf(adopted({ adopt_module_address: 'module.metadata_service' }), 'examples/complete/adopt.tf'));
    assert.equal(direct.moved, undefined);
  });

  it('variables.tf holds the adopting rules for the affixes, and the validation tests refuse each of them', async () => {
    const files = adopted();
    const vars = await parseModule(files);
    const conditions = (name: string): string[] => vars.variable[name][0].validation.map((v: Json) => v.condition);
    assert.equal(conditions('resource_prefix').length, ADOPTED_PREFIX_HCL.length);
    assert.equal(conditions('resource_suffix').length, ADOPTED_SUFFIX_HCL.length);
    const rounds = validationRounds(INPUTS.filter((i) => i.scope === 'module').map((i) => (i.adoptedHcl ? { ...i, hcl: i.adoptedHcl } : i)));
    const refused = rounds.flatMap((r) => Object.keys(r.invalid));
    assert.equal(refused.filter((n) => n === 'resource_prefix').length, ADOPTED_PREFIX_HCL.length);
    const tests = await parseHcl('validation.tftest.hcl', textOf(files, 'tests/validation.tftest.hcl'));
    assert.equal(tests.run.length === undefined ? Object.keys(tests.run).length : tests.run.length, rounds.length);
  });

  it('the README replaces "Coming from the public module" with the adoption: the table of every old address, what is destroyed and replaced, the plan check', () => {
    const readme = textOf(adopted(), 'README.md');
    assert.doesNotMatch(readme, /## Coming from the public Metaflow metadata-service module/);
    assert.match(readme, /## Adopting an existing deployment/);
    for (const r of OLD_RESOURCES) assert.ok(readme.includes(`| \`${r.when ? `${r.address}[0]` : r.address}\` |`), r.address);
    assert.match(readme, /terraform show -json adopt\.tfplan \| jq/);
    assert.match(readme, /metaflow-nlb-dev/);
    const root = textOf(adopted({ resource_suffix: '' }), 'README.md');
    assert.match(root, /random_password/, 'through the root module: where its password is');
  });

  it('the CHANGELOG quotes the adoption with the other answers', () => {
    assert.match(textOf(adopted(), 'CHANGELOG.md'), /Adopting an existing deployment: `adopt_from = "terraform-aws-metaflow"`, `adopt_module_address = "module\.metaflow\.module\.metaflow-metadata-service"`/);
  });

  it('an answer that breaks HCL reaches no adopting file unescaped (the tfvars read back), and a bad address renders nothing', async () => {
    const files = render(variant({ ...ADOPTING, database_name: 'x', database_username: 'y' }), { version: '0' });
    const tfvars = await parseHcl('terraform.tfvars', textOf(files, 'examples/complete/terraform.tfvars'));
    assert.equal(literal(tfvars.resource_prefix), 'metaflow-');
    assert.ok(!('adopt_from' in tfvars), 'the generator\'s own answers are no variables');
    assert.throws(() => render({ ...variant(ADOPTING), adopt_module_address: 'module.x"]' }, { version: '0' }), /adopt_module_address/);
  });
});

describe('adopting: the default render is what it was', () => {
  it('byte for byte, with the adopting templates gone and the adopt answers absent or null', () => {
    const bare = tempDir('templates-');
    cpSync(TEMPLATES_DIR, bare, { recursive: true });
    rmSync(join(bare, ADOPT_TEMPLATES), { recursive: true });
    for (const [name, changes] of Object.entries(VARIANTS)) {
      const answers = variant(changes);
      assert.equal(answers.adopt_from, null, name);
      const withCode = render(answers, { version: '0.0.0-test' });
      const { adopt_from: _a, adopt_module_address: _b, ...without } = answers;
      for (const other of [render(without, { version: '0.0.0-test' }), render(answers, { version: '0.0.0-test', templatesDir: bare })]) {
        assert.deepEqual([...other.keys()], [...withCode.keys()], name);
        for (const [path, contents] of withCode) assert.ok(Buffer.from(contents).equals(Buffer.from(other.get(path)!)), `${name}: ${path}`);
      }
    }
    rmSync(bare, { recursive: true, force: true });
  });

  it('the variables and their example stay those of the catalogue\'s variables: the generator\'s own answers are none', async () => {
    const files = render(variant(), { version: '0' });
    const example = await parseModule(files, 'examples/complete');
    assert.deepEqual(Object.keys(example.variable).sort(), VARIABLE_INPUTS.map((i) => i.name).sort());
    for (const path of ['adopt.tf', 'adopt_override.tf', 'examples/complete/adopt.tf']) assert.ok(!files.has(path), path);
  });
});

describe('adopting: the bin', () => {
  const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

  it('--adopt-from with the answers: written and stored; a re-run with no answers keeps adopting and changes nothing', () => {
    const cwd = tempDir('adopt-bin-');
    const first = run(['out', '--answers', DEMO_FILE, '--skip-git', '--adopt-from', 'terraform-aws-metaflow', '--adopt-module-address', 'module.metaflow-metadata-service', '--resource-prefix', 'metaflow-', '--resource-suffix=-dev'], cwd);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Note: adopt_from: adopting/);
    const out = join(cwd, 'out');
    for (const path of ['adopt.tf', 'adopt_override.tf', 'examples/complete/adopt.tf']) assert.ok(existsSync(join(out, path)), path);
    const stored = JSON.parse(readFileSync(join(out, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'].answers;
    assert.equal(stored.adopt_from, 'terraform-aws-metaflow');
    assert.equal(stored.adopt_module_address, 'module.metaflow-metadata-service');
    assert.equal(stored.resource_prefix, 'metaflow-');
    const again = run(['out', '--skip-git'], cwd);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing to do/);
  });

  it('a bad adoption answer: exit 1, the field named, nothing written (not even the directory)', () => {
    const cwd = tempDir('adopt-bin-');
    for (const [args, field] of [
      [['--adopt-from', 'terraform-aws-metaflow-v1'], 'adopt_from'],
      [['--adopt-from', 'terraform-aws-metaflow'], 'adopt_module_address'],
      [['--adopt-from', 'terraform-aws-metaflow', '--adopt-module-address', 'metaflow'], 'adopt_module_address'],
      [['--adopt-module-address', 'module.m'], 'adopt_module_address'],
      [['--adopt-from', 'terraform-aws-metaflow', '--adopt-module-address', 'module.m', '--resource-prefix=-metaflow'], 'resource_prefix'],
    ] as const) {
      const result = run(['out', '--answers', DEMO_FILE, '--skip-git', ...args], cwd);
      assert.equal(result.status, 1, `${args.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, new RegExp(`^  - ${field}: `, 'm'), args.join(' '));
      assert.match(result.stderr, /nothing was written/);
      assert.ok(!existsSync(join(cwd, 'out')), 'no directory');
    }
  });

  it('--help lists the adoption inputs first', () => {
    const help = run(['--help'], ROOT).stdout;
    assert.ok(help.indexOf('--adopt-from') < help.indexOf('--aws-region'));
    assert.match(help, /Adopting an existing deployment/);
    assert.ok(existsSync(DEMO_FILE));
    assert.ok(INPUTS.every((i) => i.scope !== 'generator' || help.includes(`--${i.name.replace(/_/g, '-')}`)));
  });
});

describe('adopting: every name the adopted module builds', () => {
  it('is legal for AWS at the longest affixes the rules let through, in the longest region', () => {
    const prefix = 'p'.repeat(ADOPTED_AFFIX_MAX_COMBINED - 1);
    assert.deepEqual(nameBreaks(prefix, 's', ADOPTED_NAMES), []);
    for (const d of ADOPTED_NAMES) assert.ok(derivedName(d, prefix, 's').length <= d.rule.max, d.id);
  });
});
