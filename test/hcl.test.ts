import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributes, hcl, hclString } from '../src/lib/render/hcl.js';
import { formatHcl, literal, parseHcl } from './helpers.js';

const NASTY = [
  '"',
  '\\',
  '\\"',
  '${file("/etc/passwd")}',
  '$${x}',
  '$$${x}',
  '%{ for x in y }${x}%{ endfor }',
  '%%{',
  'a\nb\r\nc\td',
  '<<EOF\nx\nEOF',
  '\u0000\u0001\u001f\u007f\u0085\u2028',
  'é 名前 🚀',
  '$',
  '%',
  '${',
  '}',
  'trailing \\',
];

describe('hclString', () => {
  it('round-trips through HashiCorp\'s parser without evaluating anything', async () => {
    for (const text of NASTY) {
      const parsed = await parseHcl('t.tfvars', `v = ${hclString(text)}\n`);
      assert.equal(literal(parsed.v), text, `round trip of ${JSON.stringify(text)}`);
    }
  });
  it('keeps every string on one line', () => {
    for (const text of NASTY) assert.ok(!hclString(text).includes('\n'));
  });
  it('replaces lone surrogates instead of writing invalid UTF-8', async () => {
    const parsed = await parseHcl('t.tfvars', `v = ${hclString('a\ud800b')}\n`);
    assert.equal(literal(parsed.v), 'a\ufffdb');
  });
});

describe('hcl values', () => {
  it('renders scalars, lists, maps and null', async () => {
    const value = { s: 'x"y', n: 42, b: false, l: ['a', '${b}'], m: { 'k-1': 'v', 'a b': '%{c}' }, z: null };
    const source = `v = ${hcl(value)}\n`;
    const parsed = await parseHcl('t.tfvars', source);
    assert.equal(literal(parsed.v.s), 'x"y');
    assert.equal(parsed.v.n, 42);
    assert.equal(parsed.v.b, false);
    assert.deepEqual(parsed.v.l.map(literal), ['a', '${b}']);
    assert.deepEqual(Object.fromEntries(Object.entries(parsed.v.m).map(([k, v]) => [k, literal(v)])), { 'k-1': 'v', 'a b': '%{c}' });
    assert.equal(parsed.v.z, null);
    assert.equal(await formatHcl(source), source, 'already in terraform fmt style');
  });
  it('breaks long lists onto lines, still canonical', async () => {
    const list = Array.from({ length: 12 }, (_, i) => `10.${i}.0.0/16`);
    const source = `v = ${hcl(list)}\n`;
    assert.ok(source.includes('\n  "10.0.0.0/16",\n'));
    assert.equal(await formatHcl(source), source);
    assert.deepEqual((await parseHcl('t.tfvars', source)).v, list);
  });
  it('refuses numbers HCL cannot hold', () => {
    assert.throws(() => hcl(Number.NaN), /NaN/);
    assert.throws(() => hcl(Infinity), /Infinity/);
  });
});

describe('attributes', () => {
  it('aligns one-line runs as terraform fmt does and leaves multi-line values alone', async () => {
    const body = attributes(
      [
        ['a', '1'],
        ['long_name', '2'],
        ['m', '{\n    x = 1\n  }'],
        ['b', '3'],
      ],
      '  ',
    );
    const source = `x {\n${body}\n}\n`;
    assert.equal(await formatHcl(source), source);
  });
});
