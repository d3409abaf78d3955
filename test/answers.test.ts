import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AnswersError,
  MAX_ANSWERS_BYTES,
  complete,
  didYouMean,
  fromJson,
  fromText,
  notes,
  jsonErrorOffset,
  parseAnswersFile,
  readAnswers,
  readAnswersFile,
  readFlags,
  toText,
} from '../src/lib/intake/answers.js';
import { questionsFor } from '../src/lib/intake/prompts.js';
import { INPUTS, INPUT_BY_NAME, type Input } from '../src/lib/inputs/catalogue.js';
import { demoAnswers, tempDir } from './helpers.js';

const input = (name: string): Input => INPUT_BY_NAME.get(name)!;
const tmp = () => tempDir('answers-');

describe('fromText (prompts and flags)', () => {
  it('splits lists on commas and newlines', () => {
    assert.deepEqual(fromText(input('vpc_cidr_blocks'), ' 10.0.0.0/16, 10.1.0.0/16\n10.2.0.0/16,, '), {
      ok: true,
      value: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'],
    });
    assert.deepEqual(fromText(input('access_list_cidr_blocks'), ''), { ok: true, value: [] });
    assert.deepEqual(fromText(input('access_list_cidr_blocks'), '10.0.0.0/8 192.168.0.0/16'), { ok: true, value: ['10.0.0.0/8', '192.168.0.0/16'] });
  });
  it('reads key=value maps and refuses repeats', () => {
    assert.deepEqual(fromText(input('standard_tags'), 'env=dev, team = ml=platform'), { ok: true, value: { env: 'dev', team: 'ml=platform' } });
    assert.equal(fromText(input('standard_tags'), 'env').ok, false);
    assert.equal(fromText(input('standard_tags'), 'a=1,a=2').ok, false);
  });
  it('numbers, booleans and nullable strings', () => {
    assert.deepEqual(fromText(input('metadata_service_cpu'), '1024'), { ok: true, value: 1024 });
    assert.equal(fromText(input('metadata_service_cpu'), '1e3').ok, false);
    assert.deepEqual(fromText(input('with_public_ip'), 'yes'), { ok: true, value: true });
    assert.deepEqual(fromText(input('with_public_ip'), 'FALSE'), { ok: true, value: false });
    assert.equal(fromText(input('with_public_ip'), 'maybe').ok, false);
    assert.deepEqual(fromText(input('ecs_cluster_id'), ''), { ok: true, value: null });
    // A nullable number: empty text or "null" is null (no quota); a number is a number.
    assert.deepEqual(fromText(input('api_quota_limit'), ''), { ok: true, value: null });
    assert.deepEqual(fromText(input('api_quota_limit'), 'null'), { ok: true, value: null });
    assert.deepEqual(fromText(input('api_quota_limit'), '100000'), { ok: true, value: 100000 });
    assert.equal(fromText(input('metadata_service_cpu'), '').ok, false, 'a number that cannot be null needs one');
  });
  it('toText is the inverse for prompt defaults', () => {
    for (const i of INPUTS) {
      const value = demoAnswers()[i.name] ?? i.example;
      if (value === null || value === undefined || i.type === 'string') continue;
      assert.deepEqual(fromText(i, toText(i, value)), { ok: true, value }, i.name);
    }
  });
});

describe('fromJson (answers files)', () => {
  it('a boolean as a flag takes it: true/false, or the words yes/no, on/off, 1/0 as text (YAML 1.2 reads yes as text)', () => {
    for (const [text, value] of [['yes', true], ['No', false], ['on', true], ['off', false], ['1', true], ['0', false], ['true', true], [' FALSE ', false]] as const) {
      assert.deepEqual(fromJson(input('api_basic_auth'), text), { ok: true, value }, text);
      assert.deepEqual(fromJson(input('api_basic_auth'), text), fromText(input('api_basic_auth'), text), `${text}: the flags' rule`);
    }
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'api_basic_auth: yes\nwith_public_ip: off\nenable_api_gateway: "no"\n');
    assert.deepEqual(readAnswersFile(join(dir, 'a.yaml')), { answers: { api_basic_auth: true, with_public_ip: false, enable_api_gateway: false }, errors: [] });
  });
  it('takes natural JSON types only', () => {
    assert.equal(fromJson(input('vpc_cidr_blocks'), '10.0.0.0/16').ok, false);
    assert.equal(fromJson(input('vpc_cidr_blocks'), [1]).ok, false);
    assert.equal(fromJson(input('metadata_service_cpu'), '512').ok, false);
    assert.equal(fromJson(input('api_basic_auth'), 1).ok, false);
    assert.match((fromJson(input('api_basic_auth'), 'maybe') as { message: string }).message, /expected true or false \(or yes\/no, on\/off, 1\/0\), got the string "maybe"/);
    assert.equal(fromJson(input('standard_tags'), ['a']).ok, false);
    assert.equal(fromJson(input('database_username'), null).ok, false);
    assert.deepEqual(fromJson(input('ecs_cluster_id'), null), { ok: true, value: null });
  });
});

describe('readAnswers', () => {
  it('reports unknown keys with a suggestion, keeps the good ones', () => {
    const { answers, errors } = readAnswers({ database_usrname: 'x', 'subnet-1-id': 'y', database_name: 'metaflow', zzz: 1 });
    assert.deepEqual(answers, { database_name: 'metaflow' });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['database_usrname', 'subnet-1-id', 'zzz'],
    );
    assert.match(errors[0]!.message, /did you mean database_username\?/);
    assert.match(errors[1]!.message, /did you mean subnet1_id\?/);
    assert.doesNotMatch(errors[2]!.message, /did you mean/);
    assert.equal(didYouMean('vpc_cidr'), '; did you mean vpc_cidr_blocks?');
  });
  it('refuses a non-object document', () => {
    assert.equal(readAnswers([]).errors[0]!.field, '(file)');
    assert.equal(readAnswers('x').errors.length, 1);
  });
});

describe('readAnswersFile', () => {
  it('reads JSON and YAML alike', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), JSON.stringify(demoAnswers()));
    writeFileSync(join(dir, 'a.yaml'), 'resource_prefix: metaflow\nvpc_cidr_blocks:\n  - 10.0.0.0/16\nstandard_tags:\n  env: dev\nmetadata_service_cpu: 1024\n');
    assert.deepEqual(readAnswersFile(join(dir, 'a.json')), { answers: demoAnswers(), errors: [] });
    assert.deepEqual(readAnswersFile(join(dir, 'a.yaml')).answers, {
      resource_prefix: 'metaflow',
      vpc_cidr_blocks: ['10.0.0.0/16'],
      standard_tags: { env: 'dev' },
      metadata_service_cpu: 1024,
    });
  });
  it('says what is wrong with a broken, missing or oversized file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{"a": ');
    writeFileSync(join(dir, 'dup.yaml'), 'a: 1\na: 2\n');
    writeFileSync(join(dir, 'big.json'), `{"x": "${'a'.repeat(MAX_ANSWERS_BYTES)}"}`);
    assert.match(readAnswersFile(join(dir, 'bad.json')).errors[0]!.message, /not valid JSON/);
    assert.match(readAnswersFile(join(dir, 'dup.yaml')).errors[0]!.message, /not valid YAML/);
    assert.match(readAnswersFile(join(dir, 'nope.json')).errors[0]!.message, /no such file/);
    assert.match(readAnswersFile(join(dir, 'big.json')).errors[0]!.message, /at most/);
  });
  it('a directory, UTF-16 and bytes that are not UTF-8 are refused, saying so; a UTF-8 byte-order mark is read past', () => {
    const dir = tmp();
    const json = JSON.stringify(demoAnswers(), null, 2);
    writeFileSync(join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    writeFileSync(join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('resource_prefix: metaflow\n')]));
    writeFileSync(join(dir, 'utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('resource_prefix: metaflow\nstandard_tags:\n  team: caf\xe9\n', 'latin1'));
    mkdirSync(join(dir, 'answers'));
    assert.deepEqual(readAnswersFile(join(dir, 'bom.json')), { answers: demoAnswers(), errors: [] });
    assert.deepEqual(readAnswersFile(join(dir, 'bom.yaml')).answers, { resource_prefix: 'metaflow' });
    assert.deepEqual(parseAnswersFile(join(dir, 'answers'), 'answers'), { problem: { file: 'answers', message: 'is a directory: give the answers file itself (JSON, or YAML named .yaml/.yml)' } });
    assert.deepEqual(parseAnswersFile(join(dir, 'utf16.json'), 'utf16.json'), { problem: { file: 'utf16.json', message: 'is encoded in UTF-16: save it as UTF-8' } });
    assert.deepEqual(parseAnswersFile(join(dir, 'latin1.yaml'), 'latin1.yaml'), { problem: { file: 'latin1.yaml', message: 'is not UTF-8 text: save it as UTF-8', line: 3, column: 12 } });
  });
  it('locates a syntax error by line and column, JSON and YAML', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), '{\n  "aws_region": "us-east-1"\n  "resource_prefix": "x"\n}');
    writeFileSync(join(dir, 'b.yml'), 'aws_region: us-east-1\naws_region: us-east-2\n');
    assert.deepEqual(parseAnswersFile(join(dir, 'a.json'), 'a.json'), {
      problem: { file: 'a.json', message: "not valid JSON: Expected ',' or '}' after property value", line: 3, column: 3 },
    });
    const yaml = parseAnswersFile(join(dir, 'b.yml'), 'b.yml');
    assert.ok('problem' in yaml);
    assert.deepEqual([yaml.problem.line, yaml.problem.column], [2, 1]);
    assert.match(yaml.problem.message, /^not valid YAML: Map keys must be unique$/);
    assert.match(readAnswersFile(join(dir, 'a.json')).errors[0]!.message, /^line 3, column 3: not valid JSON/);
  });
});

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on what is valid, and points at the first bad character', () => {
    const cases: [string, number][] = [
      ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', -1],
      ['  {}  ', -1],
      ['{"a": 1,', 8],
      ['{"a" 1}', 5],
      ['{"a": 01}', 7],
      ['{"a": -}', 6],
      ['{"a": "\t"}', 7],
      ['{"a": "\\x"}', 8],
      ['[1, 2] 3', 7],
      ['', 0],
      ['nul', 3],
    ];
    for (const [text, offset] of cases) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      assert.equal(jsonErrorOffset(text) === -1, valid, text);
      assert.equal(jsonErrorOffset(text), offset, text);
    }
  });
});

describe('readFlags', () => {
  it('reads the options by flag name, as parseCommandLine gives them', () => {
    const { answers, errors } = readFlags({ 'vpc-cidr-blocks': '10.0.0.0/16,10.1.0.0/16', 'metadata-service-cpu': '1024', 'with-public-ip': true, 'api-basic-auth': 'no' });
    assert.deepEqual(errors, []);
    assert.deepEqual(answers, { vpc_cidr_blocks: ['10.0.0.0/16', '10.1.0.0/16'], metadata_service_cpu: 1024, with_public_ip: true, api_basic_auth: false });
    // Other spellings are the command line's to read (parseCommandLine, commandFromOptions), not this function's.
    assert.deepEqual(readFlags({ metadataServiceCpu: '1024', metadata_service_cpu: '1024' }).answers, {});
  });
  it('names the flag in errors', () => {
    const { errors } = readFlags({ 'metadata-service-cpu': 'lots' });
    assert.equal(errors[0]!.field, 'metadata_service_cpu');
    assert.match(errors[0]!.message, /--metadata-service-cpu/);
  });
});

describe('complete', () => {
  it('fills defaults and follows the region for the partition', () => {
    const answers = complete(demoAnswers());
    assert.equal(answers.iam_partition, 'aws');
    assert.equal(answers.is_gov, false);
    assert.equal(answers.ecs_cluster_id, null);
    assert.equal(answers.metadata_service_memory, 1024);
    assert.deepEqual(Object.keys(answers), INPUTS.map((i) => i.name), 'catalogue order');
  });
  it('lists every missing and invalid field at once', () => {
    const given = { ...demoAnswers(), subnet2_id: demoAnswers().subnet1_id, metaflow_vpc_id: 'vpc-1' } as Record<string, unknown>;
    delete given.database_username;
    delete given.standard_tags;
    try {
      complete(given as never);
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof AnswersError);
      assert.deepEqual(error.errors.map((e) => e.field).sort(), ['database_username', 'metaflow_vpc_id', 'standard_tags', 'subnet2_id']);
      assert.match(error.message, /nothing was written/);
    }
  });
  it('does not report a field twice when an earlier source already did', () => {
    const given = { ...demoAnswers() } as Record<string, unknown>;
    delete given.vpc_cidr_blocks;
    assert.throws(
      () => complete(given as never, 'answers', [{ field: 'vpc_cidr_blocks', message: 'expected a list' }]),
      (error: AnswersError) => error.errors.filter((e) => e.field === 'vpc_cidr_blocks').length === 1,
    );
  });
  it('GovCloud regions imply the partition and is_gov', () => {
    assert.throws(
      () => complete({ ...demoAnswers(), aws_region: 'us-gov-west-1' }),
      (error: AnswersError) => {
        const fields = error.errors.map((e) => e.field);
        // The commercial ARNs of the demo no longer fit the derived partition.
        assert.ok(fields.includes('database_password_secret_manager_arn'));
        assert.ok(!fields.includes('iam_partition') && !fields.includes('is_gov'));
        assert.match(error.message, /iam_partition is "aws-us-gov"/);
        return true;
      },
    );
  });
});

describe('TLS answers', () => {
  const bundle = '/etc/ssl/certs/rds-global-bundle.pem';
  it('refuses a verify mode without a CA bundle, and a CA bundle without one, on database_ssl_mode', () => {
    for (const [changes, pattern] of [
      [{ database_ssl_mode: 'verify-full' }, /database_ssl_mode: verify-full checks .*needs database_ssl_root_cert_path/],
      [{ database_ssl_mode: 'require', database_ssl_root_cert_path: bundle }, /database_ssl_mode: "require" reads no CA bundle/],
    ] as const) {
      assert.throws(() => complete({ ...demoAnswers(), ...changes }), (error: unknown) => {
        assert.ok(error instanceof AnswersError);
        assert.deepEqual(error.errors.map((e) => e.field), ['database_ssl_mode']);
        assert.match(error.message, pattern);
        return true;
      });
    }
    assert.equal(complete({ ...demoAnswers(), database_ssl_mode: 'verify-ca', database_ssl_root_cert_path: bundle }).database_ssl_root_cert_path, bundle);
    assert.equal(complete(demoAnswers()).database_ssl_root_cert_path, null);
  });
  it('notes what disable and allow break, and a verify mode with the public image; nothing for the defaults', () => {
    assert.deepEqual(notes(complete(demoAnswers())), []);
    for (const mode of ['disable', 'allow']) {
      assert.deepEqual(notes(complete({ ...demoAnswers(), database_ssl_mode: mode })).map((n) => n.field), ['database_ssl_mode']);
    }
    const verify = complete({ ...demoAnswers(), database_ssl_mode: 'verify-full', database_ssl_root_cert_path: bundle });
    assert.deepEqual(notes(verify).map((n) => n.field), ['metadata_service_container_image']);
    assert.deepEqual(notes({ ...verify, metadata_service_container_image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/metaflow-metadata:v2.4.12-rds' }), []);
    // Only accepted values are noted: a refused one is reported as a problem instead.
    assert.deepEqual(notes({ ...verify, database_ssl_mode: 'disable' }), []);
  });
});

describe('questions (prompts)', () => {
  it('API Gateway logging: asked only with API Gateway, defaulting to No', () => {
    const known = complete(demoAnswers());
    delete known.enable_api_gateway_logging;
    const question = questionsFor('access', known).find((q) => q.name === 'enable_api_gateway_logging');
    assert.ok(question);
    assert.equal(typeof question.default === 'function' ? question.default({}) : question.default, false);
    assert.equal(question.when({}), true);
    assert.equal(question.when({ enable_api_gateway: false }), false);
  });
});
