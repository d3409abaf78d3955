// The generated module: parses, is canonically formatted, keeps the seed's
// contract, and has the structure the issue asks for. Assertions read parsed HCL.
import assert from 'node:assert/strict';
import { getReferencesInExpression } from '@cdktf/hcl2json';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { INPUTS, MODULE_INPUTS, VARIABLE_INPUTS, type Answers } from '../src/lib/inputs/catalogue.js';
import { render, type FileContent } from '../src/lib/render/render.js';
import { iamPolicies } from '../src/lib/render/grants.js';
import { fixtureInputs, mockAccount } from '../src/lib/render/testcases.js';
import { deterministicZip } from '../src/lib/render/zip.js';
import { AFFIX_MAX_COMBINED, ALL_REGIONS, AWS_NAME_RULES, DERIVED_NAMES, LB_NAME_MAX, LONGEST_REGION, derivedName } from '../src/lib/inputs/validators.js';
import { TOOLS } from '../src/lib/render/tools.js';
import { CONTRACT, ROOT, VARIANTS, block, constraintAllows, formatHcl, literal, parseHcl, parseModule, renderVariant, textOf, variant, type Json } from './helpers.js';

const HCL_FILE = /\.(tf|tfvars|tftest\.hcl)$/;
const stripInterp = (expr: unknown) => String(expr).replace(/^\$\{([\s\S]*)\}$/, '$1');

/** Parse the argument of a `jsonencode(...)` expression as HCL. */
async function jsonencodeArgument(expr: string): Promise<Json> {
  const inner = stripInterp(expr).replace(/^jsonencode\(([\s\S]*)\)$/, '$1');
  return (await parseHcl('inner.tf', `v = ${inner}\n`)).v;
}

let demo: Map<string, FileContent>;
let mod: Json;
let example: Json;

before(async () => {
  demo = renderVariant();
  mod = await parseModule(demo);
  example = await parseModule(demo, 'examples/complete');
});

describe('every variant', () => {
  for (const [name, changes] of Object.entries(VARIANTS)) {
    it(`${name}: every HCL file parses and is terraform-fmt canonical`, async () => {
      const files = renderVariant(changes);
      const hclFiles = [...files.keys()].filter((p) => HCL_FILE.test(p));
      assert.ok(hclFiles.length >= 14, `only ${hclFiles.length} HCL files`);
      for (const path of hclFiles) {
        const source = textOf(files, path);
        await parseHcl(path, source);
        assert.equal(await formatHcl(source), source, `${path} is not in terraform fmt style`);
        assert.doesNotMatch(source, /"\$\{[^}]*\}"/, `${path} has an interpolation-only string`);
      }
    });
    it(`${name}: terraform.tfvars holds exactly the answers`, async () => {
      const answers = variant(changes);
      const files = renderVariant(changes);
      const tfvars = await parseHcl('terraform.tfvars', textOf(files, 'examples/complete/terraform.tfvars'));
      assert.deepEqual(Object.keys(tfvars).sort(), VARIABLE_INPUTS.map((i) => i.name).sort());
      for (const input of VARIABLE_INPUTS) {
        const value = tfvars[input.name];
        const expected = answers[input.name];
        if (typeof expected === 'string') assert.equal(literal(value), expected, input.name);
        else assert.deepEqual(value, expected, input.name);
      }
    });
    it(`${name}: the module itself does not depend on the answers`, () => {
      const files = renderVariant(changes);
      for (const [path, source] of demo) {
        // The example holds the answers; the README and CHANGELOG quote them.
        if (path.startsWith('examples/') || path === 'README.md' || path === 'CHANGELOG.md') continue;
        assert.deepEqual(files.get(path), source, path);
      }
    });
  }
});

/** Seed descriptions whose words were wrong, and why they changed. */
const CORRECTED_DESCRIPTIONS: Record<string, string> = {
  metaflow_vpc_id: 'named a SageMaker notebook instance',
  with_public_ip: 'said "Enable private IP" for the switch that gives public IPs',
  ecs_cluster_id: 'typo "specfied"',
  api_basic_auth: 'said basic auth; it is an API key',
  fargate_execution_role_arn: 'null now asks for a dedicated role; the description says so',
};

describe('the seed contract', () => {
  it('variables.tf declares the 23 seed inputs with their types and defaults, and only optional additions besides', () => {
    const variables = mod.variable;
    const additions = MODULE_INPUTS.filter((input) => input.addition).map((input) => input.name);
    assert.deepEqual(Object.keys(variables).filter((name) => !additions.includes(name)).sort(), Object.keys(CONTRACT.inputs).sort());
    assert.equal(Object.keys(variables).length, 23 + additions.length);
    for (const name of additions) assert.ok('default' in variables[name][0], `${name} is an addition, so it must be optional`);
    for (const [name, spec] of Object.entries(CONTRACT.inputs)) {
      const v = variables[name][0];
      assert.equal(v.type, `\${${spec.type}}`, `${name} type`);
      // Where the seed's words were wrong they are corrected; every other description is the seed's.
      if (!(name in CORRECTED_DESCRIPTIONS)) assert.equal(v.description, spec.description, `${name} description`);
      else assert.notEqual(v.description, spec.description, `${name}: listed as corrected but unchanged`);
      if (spec.required) assert.ok(!('default' in v), `${name} must be required`);
      else assert.deepEqual(v.default, spec.default, `${name} default`);
    }
  });
  it('every variable has a description and a type, and most a validation', () => {
    for (const [name, [v]] of Object.entries<Json>(mod.variable)) {
      assert.ok(v.description && v.type, name);
    }
    const validated = Object.values<Json>(mod.variable).filter(([v]) => Array.isArray(v.validation));
    assert.ok(validated.length >= 19, `only ${validated.length} variables validated`);
  });
  it('outputs.tf has the 8 seed outputs with their descriptions, plus the client profile and a sensitive key', () => {
    const corrected = ['METAFLOW_SERVICE_URL', 'api_gateway_rest_api_id_key_id']; // empty without API Gateway; the key is not fetched from the console
    for (const [name, description] of Object.entries(CONTRACT.outputs)) {
      if (corrected.includes(name)) assert.ok(mod.output[name]?.[0].description, name);
      else assert.equal(mod.output[name]?.[0].description, description, name);
    }
    assert.equal(block(mod, 'output', 'api_key_value').sensitive, true);
    const profile = block(mod, 'output', 'metaflow_profile').value;
    assert.equal(profile.METAFLOW_DEFAULT_METADATA, 'service');
    assert.match(profile.METAFLOW_SERVICE_URL, /aws_api_gateway_stage\.api\[\*\]\.invoke_url\)\}\/" : "http:\/\/\$\{aws_lb\.this\.dns_name\}\/"\}$/);
    assert.match(profile.METAFLOW_SERVICE_INTERNAL_URL, /^http:\/\/\$\{aws_lb\.this\.dns_name\}\/$/);
  });
});

describe('variables.tf validations agree with the generator', () => {
  it('each single-regex validation accepts the demo answer and refuses what the validator refuses', () => {
    const answers = variant();
    let checked = 0;
    for (const [name, [v]] of Object.entries<Json>(mod.variable)) {
      for (const validation of v.validation ?? []) {
        const m = /^\$\{can\(regex\("((?:[^"\\]|\\.)*)", var\.([a-z0-9_]+)\)\)\}$/.exec(validation.condition);
        if (!m || m[2] !== name) continue;
        const pattern = new RegExp(JSON.parse(`"${m[1]}"`).replace(/\$\$\{/g, '${'), 'u');
        assert.ok(pattern.test(String(answers[name])), `${name}: ${pattern} refuses the demo answer`);
        for (const bad of ['', ' ', 'x"y', '${x}', 'a\nb']) {
          if (pattern.test(bad)) assert.fail(`${name}: ${pattern} accepts ${JSON.stringify(bad)}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 10, `only ${checked} regex validations found`);
  });
  it('load balancer and target group names fit 32 characters at the longest prefix and suffix', () => {
    const locals = Object.assign({}, ...mod.locals);
    for (const key of ['nlb_name', 'tg_api_name', 'tg_mig_name']) {
      const fixed = String(locals[key]).replace('${var.resource_prefix}', '').replace('${var.resource_suffix}', '');
      assert.ok(fixed.length + AFFIX_MAX_COMBINED <= LB_NAME_MAX, `${key}: ${fixed.length} + ${AFFIX_MAX_COMBINED} > ${LB_NAME_MAX}`);
    }
  });
});

describe('versions.tf', () => {
  it('pins terraform and every provider used', () => {
    const terraform = mod.terraform[0];
    assert.equal(terraform.required_version, '>= 1.9, != 1.15.0');
    const providers = terraform.required_providers[0];
    // aws 5.100 and 6.x alike (the module reads nothing that differs between them).
    assert.deepEqual(providers.aws, { source: 'hashicorp/aws', version: '>= 5.100, < 7.0' });
    // No provider only there to build a zip at plan time.
    assert.deepEqual(Object.keys(providers), ['aws']);
    const used = new Set(
      [...Object.keys(mod.resource), ...Object.keys(mod.data)].map((type) => type.split('_')[0] as string),
    );
    for (const provider of used) assert.ok(provider in providers, `provider ${provider} is used but not required`);
  });
});

describe('required_version', () => {
  it('refuses Terraform 1.15.0 (init fails on validations that read other variables, hashicorp/terraform#38463) and allows every other supported release', () => {
    const constraint = mod.terraform[0].required_version as string;
    assert.equal(constraintAllows('1.15.0', constraint), false);
    assert.equal(constraintAllows('1.8.5', constraint), false);
    for (const version of [TOOLS.terraformMin, TOOLS.tofuMin, '1.9', '1.11.4', '1.14.9', '1.15.1', '1.16.0', '2.0.0']) assert.ok(constraintAllows(version, constraint), version);
    // The example root module carries the same constraint.
    assert.equal(example.terraform[0].required_version, constraint);
  });
});

describe('ECS', () => {
  it('creates a cluster only when ecs_cluster_id is null', () => {
    assert.equal(stripInterp(block(mod, 'resource', 'aws_ecs_cluster', 'this').count), 'local.create_cluster ? 1 : 0');
    assert.equal(stripInterp(mod.locals.find((l: Json) => 'create_cluster' in l).create_cluster), 'var.ecs_cluster_id == null');
  });
  it('passes the password only as a secret, never as an environment value, to the service and the schema upgrade alike', async () => {
    const task = block(mod, 'resource', 'aws_ecs_task_definition', 'this');
    assert.deepEqual(task.requires_compatibilities, ['FARGATE']);
    const [container] = await jsonencodeArgument(task.container_definitions);
    // The database settings come from one local (entries with a null value left out), with the unlocked PATCH /upgrade switched off.
    assert.equal(stripInterp(container.environment), 'concat(local.db_environment, [\n        { name = "MF_MIGRATION_ENDPOINTS_ENABLED", value = "0" },\n      ])');
    const dbEnv = mod.locals.find((l: Json) => 'db_environment' in l);
    const entries = /^\[for e in (\[[\s\S]*\]) : e if e\.value != null\]$/.exec(stripInterp(dbEnv.db_environment))?.[1];
    assert.ok(entries, dbEnv.db_environment);
    const env = Object.fromEntries((await parseHcl('environment.tf', `v = ${entries}\n`)).v.map((e: Json) => [e.name, stripInterp(e.value)]));
    assert.deepEqual(Object.keys(env).sort(), [
      'MF_METADATA_DB_HOST',
      'MF_METADATA_DB_NAME',
      'MF_METADATA_DB_PORT',
      'MF_METADATA_DB_SSL_MODE',
      'MF_METADATA_DB_SSL_ROOT_CERT',
      'MF_METADATA_DB_SSL_ROOT_CERT_PATH',
      'MF_METADATA_DB_USER',
    ]);
    assert.equal(env.MF_METADATA_DB_SSL_ROOT_CERT, 'var.database_ssl_root_cert_path');
    assert.equal(env.MF_METADATA_DB_SSL_ROOT_CERT_PATH, 'var.database_ssl_root_cert_path');
    assert.deepEqual(dbEnv.db_secrets.map((s: Json) => [s.name, stripInterp(s.valueFrom)]), [['MF_METADATA_DB_PSWD', 'local.db_password_value_from']]);
    assert.equal(stripInterp(container.secrets), 'local.db_secrets');
    const [upgrade] = await jsonencodeArgument(block(mod, 'resource', 'aws_ecs_task_definition', 'schema_upgrade').container_definitions);
    assert.equal(stripInterp(upgrade.environment), 'concat(local.db_environment, [\n        { name = "SCHEMA_MIGRATIONS_DIR", value = local.schema_migrations_dir },\n      ])');
    assert.equal(stripInterp(upgrade.secrets), 'local.db_secrets');
    assert.deepEqual(container.portMappings.map((p: Json) => stripInterp(p.containerPort)), ['local.api_port', 'local.migration_port']);
    assert.equal(container.logConfiguration.logDriver, 'awslogs');
    assert.match(container.healthCheck.command[1], /\/ping/);
  });
  it('creates or changes the service only after the schema upgrade that terraform apply runs', () => {
    const service = block(mod, 'resource', 'aws_ecs_service', 'this');
    assert.ok(service.depends_on.map(stripInterp).includes('aws_lambda_invocation.schema_upgrade'));
    const invocation = block(mod, 'resource', 'aws_lambda_invocation', 'schema_upgrade');
    assert.equal(stripInterp(invocation.function_name), 'aws_lambda_function.db_migrate.function_name');
  });
  it('runs the service in both subnets and honours with_public_ip', () => {
    const service = block(mod, 'resource', 'aws_ecs_service', 'this');
    const network = service.network_configuration[0];
    assert.equal(stripInterp(network.assign_public_ip), 'var.with_public_ip');
    assert.equal(stripInterp(network.subnets), 'local.subnet_ids');
    assert.deepEqual(mod.locals.find((l: Json) => 'subnet_ids' in l).subnet_ids, ['${var.subnet1_id}', '${var.subnet2_id}']);
    assert.equal(service.load_balancer.length, 2);
  });
  it('keeps logs for a set time', () => {
    for (const [name, [group]] of Object.entries<Json>(mod.resource.aws_cloudwatch_log_group)) {
      assert.ok(group.retention_in_days, `${name} has no retention`);
    }
  });
});

describe('load balancer', () => {
  it('is an internal NLB with cross-zone balancing', () => {
    const lb = block(mod, 'resource', 'aws_lb', 'this');
    assert.equal(lb.internal, true);
    assert.equal(lb.load_balancer_type, 'network');
    assert.equal(lb.enable_cross_zone_load_balancing, true);
  });
  it('listens on 80 → 8080 and 8082 → 8082 with HTTP /ping health checks on ip targets', () => {
    const locals = Object.assign({}, ...mod.locals);
    const port = (expr: unknown) => (typeof expr === 'number' ? expr : locals[stripInterp(expr).replace('local.', '')]);
    const listeners = mod.resource.aws_lb_listener;
    const groups = mod.resource.aws_lb_target_group;
    const routes = Object.values<Json>(listeners).map(([l]) => {
      const target = stripInterp(l.default_action[0].target_group_arn).split('.')[1]!;
      return [port(l.port), port(groups[target][0].port)];
    });
    assert.deepEqual(routes.sort(), [[80, 8080], [8082, 8082]]);
    for (const [[group]] of Object.values<Json>(groups).map((g) => [g])) {
      assert.equal(group.target_type, 'ip');
      assert.equal(group.health_check[0].protocol, 'HTTP');
      assert.equal(group.health_check[0].path, '/ping');
    }
  });
});

describe('API Gateway', () => {
  /** The API's routes as API Gateway matches them: path parts, methods, and what each forwards to. */
  function apiRoutes(): { path: string[]; method: string; backend: string; apiKey: string; resource: string }[] {
    const locals = Object.assign({}, ...mod.locals) as Record<string, string>;
    const resources = mod.resource.aws_api_gateway_resource as Record<string, Json[]>;
    const pathOf = (name: string): string[] => {
      const body = resources[name]![0];
      const parent = stripInterp(body.parent_id);
      if (parent === 'aws_api_gateway_rest_api.this[0].root_resource_id') return [body.path_part];
      const m = /^aws_api_gateway_resource\.([a-z_]+)\[0\]\.id$/.exec(parent);
      assert.ok(m, `${name}: parent ${parent}`);
      return [...pathOf(m[1]!), body.path_part];
    };
    /** The HTTP methods of a method resource: its literal, or each key of its for_each (a local holding toset([...]) when the API is on). */
    const httpMethods = (body: Json): string[] => {
      if (body.http_method !== '${each.key}') return [body.http_method];
      const local = /^\$\{local\.([a-z_]+)\}$/.exec(body.for_each)?.[1];
      const set = local ? /^\$\{var\.enable_api_gateway \? toset\((\[[^\]]*\])\) : toset\(\[\]\)\}$/.exec(locals[local] ?? '')?.[1] : undefined;
      assert.ok(set, `for_each ${body.for_each} is not a known set of methods`);
      return JSON.parse(set) as string[];
    };
    const integrations = Object.values<Json[]>(mod.resource.aws_api_gateway_integration).map(([body]) => body);
    const routes = [];
    for (const [name, [method]] of Object.entries<Json[]>(mod.resource.aws_api_gateway_method)) {
      const resource = /^aws_api_gateway_resource\.([a-z_]+)\[0\]\.id$/.exec(stripInterp(method.resource_id))![1]!;
      const integration = integrations.find((i) => [`\${aws_api_gateway_method.${name}[0].http_method}`, `\${aws_api_gateway_method.${name}[each.key].http_method}`].includes(i.http_method));
      assert.ok(integration, `no integration for method ${name}`);
      assert.equal(integration.connection_type, 'VPC_LINK');
      assert.equal(integration.type, 'HTTP_PROXY');
      for (const http of httpMethods(method)) {
        assert.ok(['${each.key}', http].includes(integration.integration_http_method), `${name}: forwards ${http} as ${integration.integration_http_method}`);
        routes.push({ path: pathOf(resource), method: http, backend: String(integration.uri).replace('http://${aws_lb.this.dns_name}', ''), apiKey: stripInterp(method.api_key_required), resource });
      }
    }
    return routes;
  }

  /** What API Gateway does with a request: the path (and port) it forwards to and whether it asks for the key, or undefined (no route). */
  function send(method: string, path: string): { backend: string; apiKey: string } | undefined {
    const segments = path.split('/').slice(1);
    const match = (parts: string[], rest: string[]): string | undefined => {
      const [part, ...more] = parts;
      if (part === undefined) return rest.length === 0 ? '' : undefined;
      if (part === '{proxy+}') return rest.length > 0 && rest.every((s) => s !== '') ? rest.join('/') : undefined;
      return rest[0] === part ? match(more, rest.slice(1)) : undefined;
    };
    // API Gateway prefers a literal path to the greedy one.
    const candidates = apiRoutes()
      .filter((r) => r.method === method)
      .map((r) => ({ r, proxy: match(r.path, segments) }))
      .filter((c) => c.proxy !== undefined)
      .sort((a, b) => Number(a.r.path.includes('{proxy+}')) - Number(b.r.path.includes('{proxy+}')));
    const hit = candidates[0];
    return hit && { backend: hit.r.backend.replace('{proxy}', hit.proxy!), apiKey: hit.r.apiKey };
  }

  it('routes only what a Metaflow client calls, to the same path; /auth/token, /healthcheck and /version have no route', () => {
    // The calls of Netflix/metaflow's metaflow/plugins/metadata_providers/service.py (GET, POST and PATCH only).
    const task = '/flows/HelloFlow/runs/12/steps/start/tasks/3';
    const client: [string, string][] = [
      ['GET', '/ping'],
      ['GET', '/flows'],
      ['GET', '/flows/HelloFlow'],
      ['POST', '/flows/HelloFlow'],
      ['POST', '/flows/HelloFlow/run'],
      ['GET', '/flows/HelloFlow/runs'],
      ['GET', '/flows/HelloFlow/runs/12'],
      ['POST', '/flows/HelloFlow/runs/12/heartbeat'],
      ['PATCH', '/flows/HelloFlow/runs/12/tag/mutate'],
      ['GET', '/flows/HelloFlow/runs/12/steps'],
      ['POST', '/flows/HelloFlow/runs/12/steps/start/step'],
      ['GET', '/flows/HelloFlow/runs/12/steps/start/filtered_tasks'],
      ['POST', '/flows/HelloFlow/runs/12/steps/start/task'],
      ['GET', task],
      ['POST', `${task}/heartbeat`],
      ['POST', `${task}/artifact`],
      ['POST', `${task}/metadata`],
      ['GET', `${task}/metadata`],
      ['GET', `${task}/attempt/0/artifacts`],
      ['GET', `${task}/artifacts/model/attempt/0`],
    ];
    for (const [method, path] of client) {
      const sent = send(method, path);
      assert.ok(sent, `${method} ${path} has no route`);
      assert.equal(sent.backend, path, `${method} ${path} reaches the metadata API (port 80) as ${sent.backend}`);
      assert.equal(sent.apiKey, 'var.api_basic_auth', `${method} ${path}`);
    }
    assert.deepEqual(send('GET', '/db_schema_status'), { backend: ':${local.migration_port}/db_schema_status', apiKey: 'var.api_basic_auth' });
    const refused: [string, string][] = [
      ['GET', '/auth/token'],
      ['GET', '/healthcheck'],
      ['GET', '/version'],
      ['GET', '/'],
      ['PATCH', '/upgrade'],
      ['POST', '/ping'],
      ['POST', '/flows'],
      ['DELETE', '/flows/HelloFlow/runs/12'],
      ['PUT', '/flows/HelloFlow/run'],
      ['GET', '/flowsX/auth/token'],
      ['GET', '/ping/auth/token'],
      ['PATCH', '/db_schema_status'],
      ['GET', '/db_schema_status/x'],
    ];
    for (const [method, path] of refused) assert.equal(send(method, path), undefined, `${method} ${path} has a route`);
    assert.ok(!apiRoutes().some((r) => r.method === 'ANY'), 'no ANY method');
  });
  it('redeploys when any route, integration or the access policy changes, after every integration exists', async () => {
    const deployment = block(mod, 'resource', 'aws_api_gateway_deployment', 'this');
    const refs = new Set((await getReferencesInExpression('api_gateway.tf', deployment.triggers.redeployment)).map((r) => r.value.replace(/\.0$/, '')));
    for (const type of ['aws_api_gateway_resource', 'aws_api_gateway_method', 'aws_api_gateway_integration', 'aws_api_gateway_rest_api_policy']) {
      for (const name of Object.keys(mod.resource[type])) assert.ok(refs.has(`${type}.${name}`), `the deployment's triggers leave out ${type}.${name}`);
    }
    const after = new Set((deployment.depends_on as string[]).map(stripInterp));
    for (const name of Object.keys(mod.resource.aws_api_gateway_integration)) assert.ok(after.has(`aws_api_gateway_integration.${name}`), name);
  });
  it('serves stage "api", with access logs when asked, and throttles every caller and each key alike', () => {
    const deployment = block(mod, 'resource', 'aws_api_gateway_deployment', 'this');
    assert.equal(deployment.lifecycle[0].create_before_destroy, true);
    const settings = block(mod, 'resource', 'aws_api_gateway_method_settings', 'all');
    assert.equal(settings.method_path, '*/*');
    assert.equal(stripInterp(settings.settings[0].throttling_rate_limit), 'var.api_throttle_rate_limit');
    assert.equal(stripInterp(settings.settings[0].throttling_burst_limit), 'var.api_throttle_burst_limit');
    const plan = block(mod, 'resource', 'aws_api_gateway_usage_plan', 'this');
    assert.deepEqual(plan.throttle_settings[0], { rate_limit: '${var.api_throttle_rate_limit}', burst_limit: '${var.api_throttle_burst_limit}' });
    assert.equal(plan.dynamic.quota_settings[0].for_each, '${var.api_quota_limit == null ? [] : [var.api_quota_limit]}');
    const stage = block(mod, 'resource', 'aws_api_gateway_stage', 'api');
    assert.equal(stage.stage_name, 'api');
    assert.equal(stage.dynamic.access_log_settings[0].for_each, '${aws_cloudwatch_log_group.api_access}');
    assert.equal(stripInterp(block(mod, 'resource', 'aws_cloudwatch_log_group', 'api_access').count), 'local.api_logs_count');
  });
  it('creates key and usage plan only with api_basic_auth, the policy only with an access list', () => {
    for (const type of ['aws_api_gateway_api_key', 'aws_api_gateway_usage_plan', 'aws_api_gateway_usage_plan_key']) {
      assert.equal(stripInterp(block(mod, 'resource', type, 'this').count), 'var.enable_api_gateway && var.api_basic_auth ? 1 : 0', type);
    }
    assert.equal(stripInterp(block(mod, 'resource', 'aws_api_gateway_rest_api_policy', 'this').count), 'var.enable_api_gateway && length(var.access_list_cidr_blocks) > 0 ? 1 : 0');
    const policy = block(mod, 'data', 'aws_iam_policy_document', 'api_access');
    const deny = policy.statement.find((s: Json) => s.effect === 'Deny');
    assert.equal(deny.condition[0].test, 'NotIpAddress');
    assert.equal(stripInterp(deny.condition[0].values), 'var.access_list_cidr_blocks');
  });
  it('uses a REGIONAL endpoint outside the commercial partition', () => {
    const locals = Object.assign({}, ...mod.locals);
    assert.equal(stripInterp(locals.api_endpoint_type), 'var.iam_partition == "aws" && !var.is_gov ? "EDGE" : "REGIONAL"');
  });
});

describe('migration function', () => {
  it('runs a current Python outside the VPC (it calls only AWS APIs) from the committed, reproducible package', () => {
    const fn = block(mod, 'resource', 'aws_lambda_function', 'db_migrate');
    assert.match(fn.runtime, /^python3\.1[3-9]$/);
    assert.equal(fn.vpc_config, undefined);
    // Reserving concurrency fails in accounts at the minimum quota; the function checks for a running upgrade instead.
    assert.equal(fn.reserved_concurrent_executions, undefined);
    assert.equal(fn.filename, '${path.module}/functions/db_migrate.zip');
    assert.equal(fn.source_code_hash, '${filebase64sha256("${path.module}/functions/db_migrate.zip")}');
    assert.equal(mod.data.archive_file, undefined);
  });
  it('the package holds exactly the function source, byte for byte, and is the same on every render', () => {
    const zip = demo.get('functions/db_migrate.zip') as Buffer;
    assert.ok(Buffer.isBuffer(zip));
    assert.deepEqual(zip, renderVariant({ api_basic_auth: false }).get('functions/db_migrate.zip'));
    assert.deepEqual(zip, deterministicZip([{ name: 'index.py', data: textOf(demo, 'functions/db_migrate/index.py') }]));
    // One stored (uncompressed) entry named index.py whose bytes are the source.
    const nameLength = zip.readUInt16LE(26);
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    assert.equal(zip.readUInt16LE(8), 0, 'stored, so no zlib version can change the bytes');
    assert.equal(zip.subarray(30, 30 + nameLength).toString(), 'index.py');
    const size = zip.readUInt32LE(18);
    assert.equal(zip.subarray(30 + nameLength, 30 + nameLength + size).toString('utf8'), textOf(demo, 'functions/db_migrate/index.py'));
  });
});

describe('IAM and security groups', () => {
  it('builds every ARN with iam_partition', () => {
    for (const [path, source] of demo) {
      if (!path.endsWith('.tf') || path.includes('variables.tf')) continue;
      assert.doesNotMatch(textOf(demo, path), /arn:aws[:-]/, `${path} hard-codes a partition`);
    }
  });
  it('limits the task role to the datastore bucket and its key', () => {
    const doc = block(mod, 'data', 'aws_iam_policy_document', 'task');
    const allowed = doc.statement.filter((s: Json) => (s.effect ?? 'Allow') === 'Allow');
    assert.deepEqual(allowed.flatMap((s: Json) => s.actions).sort(), ['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    for (const s of doc.statement) assert.ok(!s.resources.includes('*'));
  });
  it('denies the task role presigned URLs: S3 requests to the datastore authenticated in the query string', () => {
    const doc = block(mod, 'data', 'aws_iam_policy_document', 'task');
    const denies = doc.statement.filter((s: Json) => s.effect === 'Deny');
    assert.equal(denies.length, 1);
    const [deny] = denies;
    assert.deepEqual(deny.actions, ['s3:*']);
    assert.deepEqual(deny.resources, ['${var.s3_bucket_arn}', '${var.s3_bucket_arn}/*']);
    assert.deepEqual(deny.condition, [{ test: 'StringEquals', variable: 's3:authType', values: ['REST-QUERY-STRING'] }]);
    // The statement is in the policy the task role gets.
    assert.equal(stripInterp(block(mod, 'resource', 'aws_iam_role_policy', 'task').policy), 'data.aws_iam_policy_document.task.json');
    assert.equal(stripInterp(block(mod, 'resource', 'aws_iam_role_policy', 'task').role), 'aws_iam_role.task.id');
  });
  it("limits the migration role to its logs, the schema upgrade task and its output, and the restart of this service: no \"*\"", () => {
    const doc = block(mod, 'data', 'aws_iam_policy_document', 'db_migrate');
    const bySid = Object.fromEntries(doc.statement.map((s: Json) => [s.sid, s]));
    assert.deepEqual(Object.keys(bySid).sort(), ['PassExecutionRoleToSchemaUpgradeTask', 'ReadSchemaUpgradeOutput', 'RestartService', 'RunSchemaUpgradeTask', 'WatchSchemaUpgradeTask', 'WriteOwnLogs']);
    for (const statement of doc.statement) assert.ok(!statement.resources.includes('*'), statement.sid);
    assert.deepEqual(bySid.WriteOwnLogs.resources, ['${local.log_group_arn_prefix}/aws/lambda/${local.name}-db-migrate:*']);
    assert.deepEqual([bySid.ReadSchemaUpgradeOutput.actions, bySid.ReadSchemaUpgradeOutput.resources], [['logs:GetLogEvents'], ['${local.log_group_arn_prefix}/ecs/${local.name}:log-stream:${local.schema_upgrade_log_prefix}/*']]);
    const ecsArn = '${local.ecs_arn_prefix}';
    assert.deepEqual([bySid.RunSchemaUpgradeTask.actions, bySid.RunSchemaUpgradeTask.resources], [['ecs:RunTask'], [`${ecsArn}:task-definition/\${local.name}-schema-upgrade:*`]]);
    assert.deepEqual([bySid.WatchSchemaUpgradeTask.actions, bySid.WatchSchemaUpgradeTask.resources], [['ecs:DescribeTasks'], [`${ecsArn}:task/\${local.ecs_cluster_name}/*`]]);
    for (const sid of ['RunSchemaUpgradeTask', 'WatchSchemaUpgradeTask']) {
      assert.deepEqual(bySid[sid].condition, [{ test: 'ArnEquals', variable: 'ecs:cluster', values: ['${local.ecs_cluster_arn}'] }]);
    }
    assert.deepEqual([bySid.RestartService.actions, bySid.RestartService.resources], [['ecs:UpdateService'], [`${ecsArn}:service/\${local.ecs_cluster_name}/\${local.name}`]]);
    assert.deepEqual([bySid.PassExecutionRoleToSchemaUpgradeTask.actions, bySid.PassExecutionRoleToSchemaUpgradeTask.resources.map(stripInterp)], [['iam:PassRole'], ['local.execution_role_arn_at_plan']]);
    assert.deepEqual(bySid.PassExecutionRoleToSchemaUpgradeTask.condition, [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['${data.aws_service_principal.ecs_tasks.name}'] }]);
  });
  it('lets the execution role read only the one secret', () => {
    const doc = block(mod, 'data', 'aws_iam_policy_document', 'execution_db_secret');
    const read = doc.statement.find((s: Json) => s.actions.includes('secretsmanager:GetSecretValue'));
    assert.deepEqual(read.resources.map(stripInterp), ['var.database_password_secret_manager_arn']);
  });
  it('tests/iam.tftest.hcl checks every role and role policy the module declares, statement by statement (src/lib/render/grants.ts)', () => {
    const inputs = fixtureInputs();
    const cases = new Map(iamPolicies(inputs, mockAccount(inputs, String(INPUTS.find((input) => input.name === 'aws_region')!.example))).map((c) => [c.policy.replace('[0]', ''), c]));
    const declared: [string, string][] = [
      ...Object.keys(mod.resource.aws_iam_role).map((name): [string, string] => [`aws_iam_role.${name}.assume_role_policy`, block(mod, 'resource', 'aws_iam_role', name).assume_role_policy]),
      ...Object.keys(mod.resource.aws_iam_role_policy).map((name): [string, string] => [`aws_iam_role_policy.${name}.policy`, block(mod, 'resource', 'aws_iam_role_policy', name).policy]),
    ];
    assert.deepEqual([...cases.keys()].sort(), declared.map(([address]) => address).sort());
    for (const [address, policy] of declared) {
      const doc = /^data\.aws_iam_policy_document\.([a-z_]+)\.json$/.exec(stripInterp(policy))?.[1];
      assert.ok(doc, `${address} is not the JSON of an aws_iam_policy_document`);
      const sids = block(mod, 'data', 'aws_iam_policy_document', doc).statement.map((s: Json) => s.sid);
      assert.deepEqual(sids.sort(), cases.get(address)!.statements.map((s) => s.sid).sort(), address);
    }
    for (const type of ['aws_iam_policy', 'aws_iam_role_policy_attachment', 'aws_iam_role_policies_exclusive', 'aws_iam_role_policy_attachments_exclusive']) {
      assert.equal(mod.resource[type], undefined, `${type}: a grant tests/iam.tftest.hcl does not see`);
    }
  });
  it('the VPC reaches port 80 of the load balancer only (8082 only through the VPC link); the tasks only the load balancer; the database the tasks', () => {
    const ingress = mod.resource.aws_vpc_security_group_ingress_rule;
    const rules = Object.fromEntries(Object.entries<Json>(ingress).map(([name, [rule]]) => [name, rule]));
    assert.deepEqual(Object.keys(rules).sort(), ['database_from_service', 'nlb_api', 'service_from_nlb']);
    // The only rules open to addresses are port 80 of the load balancer, for the VPC's CIDR blocks.
    for (const [name, rule] of Object.entries<Json>(rules)) {
      if (rule.cidr_ipv4 === undefined) continue;
      assert.equal(name, 'nlb_api');
      assert.equal(rule.from_port, 80);
      assert.equal(stripInterp(rule.for_each), 'toset(var.vpc_cidr_blocks)');
    }
    // Only with database_security_group_id: the database's group lets the tasks in.
    assert.equal(stripInterp(rules.database_from_service.count), 'var.database_security_group_id == null ? 0 : 1');
    assert.equal(stripInterp(rules.database_from_service.security_group_id), 'var.database_security_group_id');
    assert.equal(stripInterp(rules.database_from_service.referenced_security_group_id), 'aws_security_group.metadata_service.id');
    assert.equal(stripInterp(rules.service_from_nlb.referenced_security_group_id), 'aws_security_group.nlb.id');
    assert.deepEqual(block(mod, 'resource', 'aws_lb', 'this').security_groups, ['${aws_security_group.nlb.id}']);
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group']) {
      for (const [name, [rule]] of Object.entries<Json>(mod.resource[type])) assert.ok(rule.description, `${type}.${name}`);
    }
    const egress = Object.values<Json>(mod.resource.aws_vpc_security_group_egress_rule).map(([r]) => r);
    for (const rule of egress) assert.notEqual(rule.ip_protocol, '-1', 'no all-protocol egress');
  });
});

describe('examples/complete', () => {
  it('calls the module with every input and passes every output through', () => {
    const call = block(example, 'module', 'metadata_service');
    assert.equal(call.source, '../..');
    for (const input of MODULE_INPUTS) assert.equal(stripInterp(call[input.name]), `var.${input.name}`, input.name);
    assert.deepEqual(Object.keys(example.variable).sort(), VARIABLE_INPUTS.map((i) => i.name).sort());
    assert.deepEqual(Object.keys(example.output).sort(), Object.keys(mod.output).sort());
    assert.equal(block(example, 'provider', 'aws').region, '${var.aws_region}');
  });
  it('with API Gateway logging on: no dependency of the whole module call, and nothing account-wide managed', async () => {
    const files = renderVariant({ enable_api_gateway_logging: true });
    const logging = await parseModule(files, 'examples/complete');
    const call = block(logging, 'module', 'metadata_service');
    assert.equal(call.depends_on, undefined, 'a module-level depends_on defers every data source (and check) of the module to apply');
    assert.deepEqual(Object.keys(call).sort(), ['source', ...MODULE_INPUTS.map((input) => input.name)].sort());
    // Account-wide settings shared with every other API of the region stay out of this repository.
    for (const tree of [logging, await parseModule(files)]) {
      for (const type of ['aws_api_gateway_account', 'aws_iam_role_policy_attachment']) assert.equal(tree.resource?.[type], undefined, type);
    }
    assert.deepEqual(Object.keys(logging).sort(), ['module', 'output', 'provider', 'terraform', 'variable']);
  });
});

describe('escaping', () => {
  it('no answer reaches HCL unescaped, even past validation', async () => {
    const nasty = ['"quoted"', 'back\\slash', '${file("/etc/passwd")}', '%{ if true }x%{ endif }', 'two\nlines', '$${x}'];
    for (const text of nasty) {
      const answers: Answers = {};
      for (const input of VARIABLE_INPUTS) {
        if (input.type === 'string') answers[input.name] = text;
        else if (input.type === 'list(string)') answers[input.name] = [text, text];
        else if (input.type === 'map(string)') answers[input.name] = { [text]: text };
        else answers[input.name] = variant()[input.name] as never;
      }
      const files = render(answers, { version: '0' });
      const parsed = await parseHcl('terraform.tfvars', textOf(files, 'examples/complete/terraform.tfvars'));
      for (const input of VARIABLE_INPUTS) {
        if (input.type === 'string') assert.equal(literal(parsed[input.name]), text, input.name);
        if (input.type === 'list(string)') assert.deepEqual(parsed[input.name].map(literal), [text, text], input.name);
        if (input.type === 'map(string)') {
          const entries = Object.entries<Json>(parsed[input.name]);
          assert.equal(entries.length, 1);
          const [key, value] = entries[0]!;
          assert.equal(literal(key), text);
          assert.equal(literal(value), text);
        }
      }
    }
  });
});

describe('upgrades keep existing infrastructure', () => {
  it('every resource address a released version had still exists, or a moved/removed block says where it went', () => {
    const released = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'released-addresses.json'), 'utf8')) as Record<string, string[] | string>;
    const current = new Set<string>();
    for (const [type, byName] of Object.entries<Json>(mod.resource ?? {})) for (const name of Object.keys(byName)) current.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries<Json>(mod.data ?? {})) for (const name of Object.keys(byName)) current.add(`data.${type}.${name}`);
    const handled = new Set([...(mod.moved ?? []), ...(mod.removed ?? [])].map((block: Json) => stripInterp(block.from)));
    // Destroyed on purpose, each with its reason (and gone for good: none of them is back).
    const destroyed = released.destroyed as unknown as Record<string, string>;
    for (const [address, reason] of Object.entries(destroyed)) {
      assert.ok(reason.length > 20, `${address}: say why it is destroyed`);
      assert.ok(!current.has(address), `${address} is listed as destroyed but the module still declares it`);
      handled.add(address);
    }
    for (const [version, addresses] of Object.entries(released)) {
      if (!Array.isArray(addresses)) continue;
      for (const address of addresses) {
        assert.ok(current.has(address) || handled.has(address) || address.startsWith('data.'), `${address} (in ${version}) is gone with no moved or removed block`);
      }
    }
  });
});

describe('derived names: the generator checks the names the module builds', () => {
  it('IAM names, global to the account, carry the region, and fit at the longest affixes in the longest region', () => {
    const iam = DERIVED_NAMES.filter((d) => d.rule === AWS_NAME_RULES.iamRole || d.rule === AWS_NAME_RULES.iamRolePolicy);
    assert.deepEqual(iam.map((d) => d.id).sort(), ['aws_iam_role.db_migrate', 'aws_iam_role.execution', 'aws_iam_role.task', 'aws_iam_role_policy.execution_db_secret']);
    assert.equal(LONGEST_REGION.length, Math.max(...ALL_REGIONS.map((r) => r.length)));
    for (const d of iam) {
      assert.ok(d.template.includes('{region}'), d.id);
      const name = derivedName(d, 'p'.repeat(AFFIX_MAX_COMBINED - 3), 'dev', LONGEST_REGION);
      assert.ok(name.length <= d.rule.max, `${d.id}: ${name} is ${name.length} characters`);
      assert.notEqual(derivedName(d, 'mf', 'dev', 'us-east-1'), derivedName(d, 'mf', 'dev', 'eu-west-1'), d.id);
    }
    // locals.tf says so: at most 60 of IAM's 64 characters for a role name.
    const longest = Math.max(...iam.filter((d) => d.rule === AWS_NAME_RULES.iamRole).map((d) => derivedName(d, 'p'.repeat(AFFIX_MAX_COMBINED - 3), 'dev').length));
    assert.equal(longest, 60);
    assert.match(Object.assign({}, ...mod.locals).iam_name, /^\$\{local\.name\}-\$\{local\.region\}$/);
    for (const role of ['task', 'execution', 'db_migrate']) assert.equal(block(mod, 'resource', 'aws_iam_role', role).lifecycle[0].create_before_destroy, true, role);
  });

  const NAME_ATTRIBUTES = ['name', 'name_prefix', 'family', 'function_name'];
  /** An HCL string expression with locals expanded, the affixes as {prefix}/{suffix} and local.region as {region}. */
  const expand = (expression: string, locals: Record<string, string>): string => {
    let out = expression.replace(/\$\{local\.region\}/g, '{region}');
    for (let i = 0; i < 5; i++) out = out.replace(/\$\{local\.([a-z_]+)\}/g, (_, name: string) => String(locals[name]).replace(/\$\{local\.region\}/g, '{region}'));
    return out.replace(/\$\{var\.resource_prefix\}/g, '{prefix}').replace(/\$\{var\.resource_suffix\}/g, '{suffix}');
  };

  it('every entry of the validators\' table is the name the module really builds, and every built name is in the table', () => {
    const locals = Object.assign({}, ...mod.locals) as Record<string, string>;
    const built = new Map<string, string>();
    const derived = (value: unknown): value is string => typeof value === 'string' && expand(value, locals).includes('{prefix}');
    for (const [key, value] of Object.entries(locals)) if (derived(value)) built.set(key, expand(value, locals));
    for (const [type, byName] of Object.entries<Json>(mod.resource)) {
      for (const [name, [body]] of Object.entries<Json>(byName)) {
        const attribute = NAME_ATTRIBUTES.find((a) => derived(body[a]));
        // A name that is one listed local (local.nlb_name) is checked as that local.
        const local = attribute ? /^\$\{local\.([a-z_]+)\}$/.exec(body[attribute])?.[1] : undefined;
        if (attribute && !DERIVED_NAMES.some((d) => d.id === local)) built.set(`${type}.${name}`, expand(body[attribute], locals));
      }
    }
    for (const entry of DERIVED_NAMES) assert.equal(built.get(entry.id), entry.template, entry.id);
    const listed = new Set(DERIVED_NAMES.map((entry) => entry.id));
    // local.name and local.iam_name are the stems the names are built from, not names themselves;
    // the ARN locals (ecs_cluster_arn, execution_role_arn_at_plan) hold names that are listed, they are not names.
    const unlisted = [...built.keys()].filter((id) => !listed.has(id) && id !== 'name' && id !== 'iam_name' && !/_arn(_|$)/.test(id) && !id.startsWith('aws_api_gateway_'));
    assert.deepEqual(unlisted, [], 'names built from the affixes that the generator does not check');
  });
});
