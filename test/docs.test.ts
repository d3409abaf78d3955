// The README documents what the catalogue and the generator offer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { complete } from '../src/lib/intake/answers.js';
import { INPUTS } from '../src/lib/inputs/catalogue.js';
import { TERRAFORM_MIN, TOFU_MIN } from '../src/lib/render/tools.js';
import { manifestText } from '../src/lib/update/record.js';
import { ROOT } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');

describe('README.md', () => {
  it('names every input the catalogue declares', () => {
    for (const input of INPUTS) assert.ok(readme.includes(`\`${input.name}\``), input.name);
  });
  it('documents every generator option', () => {
    for (const option of ['--answers', '--skip-git', '--commit', '--interactive', '--ask-answered', '--force', '--dry-run', '[directory]']) assert.ok(readme.includes(option), option);
  });
  it('gives the test command CI runs, and the one-command demo', () => {
    assert.match(ci, /^npm test$/m);
    assert.ok(readme.includes('npm ci && npm test'));
    assert.ok(readme.includes('npm ci && npm run demo'));
  });
  it('the answers-file example works as written', () => {
    const section = readme.slice(readme.indexOf('## Answers file'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(json, 'no JSON example under "Answers file"');
    const answers = complete(JSON.parse(json));
    assert.equal(answers.fargate_execution_role_arn, null);
  });
  it('"How re-runs work" shows the record as the engine writes it', () => {
    const section = readme.slice(readme.indexOf('### How re-runs work'));
    const example = /```text\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const header = manifestText([]).trimEnd().split('\n');
    const lines = example.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, header.length), header);
    assert.ok(lines.length > header.length);
    for (const line of lines.slice(header.length)) assert.match(line, /^[0-9a-f]{4}\.\.\. [ *]\S+$/, 'a manifest line, digest shortened');
  });
  it('names the lowest Terraform and OpenTofu the generated repository supports, and no other', () => {
    for (const [tool, min] of [['Terraform', TERRAFORM_MIN], ['OpenTofu', TOFU_MIN]] as const) {
      const named = [...readme.matchAll(new RegExp(`${tool} (?:≥ )?(\\d+\\.\\d+(?:\\.\\d+)?)`, 'g'))].map((m) => m[1]);
      assert.ok(named.length > 0, tool);
      for (const version of named) assert.ok(min.startsWith(version!), `README names ${tool} ${version}; the lowest supported is ${min}`);
    }
  });
});
