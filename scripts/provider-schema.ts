// Regenerate the compact provider schemas the verifier checks templates against.
//
//   npm run schema                 # aws, the types the templates use
//   npm run schema -- --all        # every type (large; not committed)
//
// The schemas are derived from the published CDK for Terraform provider bindings
// (@cdktn/provider-*), which are generated from the providers' own schemas: each
// lib/<name>/index.js names its Terraform type, lists every argument and nested
// block in synthesizeHclAttributes() / *ToHclTerraform(), and exposes every
// readable attribute as a getter; the .d.ts config interfaces mark required
// arguments (no `?`). The packages are downloaded with `npm pack` at pinned
// versions into a temporary directory; none of their code is kept.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlockSchema, ProviderSchema, TypeSchema } from '../src/verify/schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = join(ROOT, 'src', 'verify', 'schemas');

/** The bindings each schema comes from, and the provider release they were generated from. */
export const SOURCES = [
  { name: 'aws', source: 'hashicorp/aws', package: '@cdktn/provider-aws', version: '25.7.0', providerVersion: '6.66.0' },
] as const;

interface Entry {
  name: string;
  camel: string;
  isBlock: boolean;
  structFunction?: string;
}

const ENTRY = /^\s+([a-z0-9_]+): \{\s*\n\s*value: (.+),\s*\n\s*isBlock: (true|false),/gm;

function entries(body: string): Entry[] {
  const out: Entry[] = [];
  for (const match of body.matchAll(ENTRY)) {
    const [, name, value, isBlock] = match as unknown as [string, string, string, string];
    const camel = /(?:this\._|struct\.|struct!\.)(\w+)/.exec(value)?.[1] ?? '';
    const fn = /(?:^|\(|\s)([a-z]\w*)ToHclTerraform\b/.exec(value.replace(/cdktn\.\w+ToHclTerraform/g, ''))?.[1];
    out.push({ name, camel, isBlock: isBlock === 'true', structFunction: fn });
  }
  return out;
}

/** The `const attrs = { ... };` object that follows `start` in `source`. */
function attrsAfter(source: string, start: number): string {
  const open = source.indexOf('const attrs = {', start);
  if (open < 0) return '';
  let depth = 0;
  for (let i = open + 'const attrs = '.length; i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(open, i + 1);
  }
  return '';
}

function requiredOf(dts: string, interfaceName: string): Set<string> {
  const start = dts.search(new RegExp(`export interface ${interfaceName}(?: extends [^{]+)? \\{`));
  if (start < 0) return new Set();
  const end = dts.indexOf('\n}', start);
  const body = dts.slice(start, end);
  return new Set([...body.matchAll(/^\s+readonly (\w+): /gm)].map((m) => m[1] as string));
}

function blockSchema(js: string, dts: string, attrs: string, interfaceName: string, depth = 0): BlockSchema {
  const required = requiredOf(dts, interfaceName);
  const schema: BlockSchema = { arguments: [], required: [], blocks: {} };
  for (const entry of entries(attrs)) {
    if (required.has(entry.camel)) schema.required.push(entry.name);
    if (entry.isBlock && entry.structFunction && depth < 8) {
      const fnStart = js.indexOf(`function ${entry.structFunction}ToHclTerraform(`);
      const inner = fnStart < 0 ? '' : attrsAfter(js, fnStart);
      const nestedInterface = entry.structFunction[0]!.toUpperCase() + entry.structFunction.slice(1);
      schema.blocks[entry.name] = blockSchema(js, dts, inner, nestedInterface, depth + 1);
    } else {
      schema.arguments.push(entry.name);
    }
  }
  schema.arguments.sort();
  schema.required.sort();
  return schema;
}

function typeSchema(dir: string): { kind: 'resource' | 'data'; type: string; schema: TypeSchema } | undefined {
  const js = readFileSync(join(dir, 'index.js'), 'utf8');
  const type = /static tfResourceType = "([a-z0-9_]+)";/.exec(js)?.[1];
  if (!type) return undefined;
  const dts = readFileSync(join(dir, 'index.d.ts'), 'utf8');
  const classStart = js.indexOf('static tfResourceType');
  const synth = js.indexOf('synthesizeHclAttributes() {', classStart);
  const configInterface = /export interface (\w+Config) extends cdktn\.TerraformMetaArguments/.exec(dts)?.[1] ?? '';
  const block = blockSchema(js, dts, attrsAfter(js, synth), configInterface);
  const classBody = js.slice(classStart, synth);
  const readable = new Set<string>(['id', ...block.arguments, ...Object.keys(block.blocks)]);
  for (const m of classBody.matchAll(/(?:get\w*Attribute|interpolationForAttribute)\('([a-z0-9_]+)'\)/g)) readable.add(m[1] as string);
  for (const m of classBody.matchAll(/OutputReference\(this, "([a-z0-9_]+)"/g)) readable.add(m[1] as string);
  for (const m of classBody.matchAll(/(?:List|Map)\(this, "([a-z0-9_]+)"/g)) readable.add(m[1] as string);
  const kind = dir.split('/').pop()!.startsWith('data-') ? 'data' : 'resource';
  return { kind, type, schema: { ...block, attributes: [...readable].sort() } };
}

async function typesUsedByTemplates(): Promise<Set<string>> {
  const used = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of walk(join(ROOT, 'templates'))) {
    if (!/\.tf(\.ejs)?$/.test(file)) continue;
    const text = readFileSync(file, 'utf8').replace(/<%[\s\S]*?%>/g, '');
    for (const m of text.matchAll(/^(resource|data) "([a-z0-9_]+)"/gm)) used.add(`${m[1]}.${m[2]}`);
  }
  // The verifier knows a deprecation in it (data.aws_region.name), a habit from provider 5 to catch.
  used.add('data.aws_region');
  return used;
}

async function main(): Promise<void> {
  const all = process.argv.includes('--all');
  const used = await typesUsedByTemplates();
  const work = mkdtempSync(join(tmpdir(), 'provider-schema-'));
  try {
    for (const source of SOURCES) {
      const spec = `${source.package}@${source.version}`;
      process.stderr.write(`fetching ${spec}\n`);
      const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop()!;
      const unpack = join(work, source.name);
      execFileSync('mkdir', ['-p', unpack]);
      execFileSync('tar', ['xzf', join(work, tarball), '-C', unpack]);
      const lib = join(unpack, 'package', 'lib');
      const resources: Record<string, TypeSchema> = {};
      const data: Record<string, TypeSchema> = {};
      const allResources: string[] = [];
      const allData: string[] = [];
      for (const name of readdirSync(lib).sort()) {
        if (!existsSync(join(lib, name, 'index.js')) || name === 'provider') continue;
        const found = typeSchema(join(lib, name));
        if (!found) continue;
        (found.kind === 'data' ? allData : allResources).push(found.type);
        if (!all && !used.has(`${found.kind}.${found.type}`)) continue;
        (found.kind === 'data' ? data : resources)[found.type] = found.schema;
      }
      const providerVersion =
        source.providerVersion || (/hashicorp\/[a-z]+\/([0-9.]+)\/docs/.exec(readFileSync(join(lib, readdirSync(lib).find((n) => n.startsWith('data-') || n.includes('file'))!, 'index.d.ts'), 'utf8'))?.[1] ?? 'unknown');
      const schema: ProviderSchema = {
        provider: source.source,
        providerVersion,
        derivedFrom: spec,
        note: 'Generated by scripts/provider-schema.ts; do not edit.',
        allResourceTypes: allResources.sort(),
        allDataSourceTypes: allData.sort(),
        resources,
        dataSources: data,
      };
      const out = join(SCHEMA_DIR, `${source.name}${all ? '.all' : ''}.json`);
      writeFileSync(out, `${JSON.stringify(schema, null, 1)}\n`);
      process.stderr.write(`${out}: ${Object.keys(resources).length} resources, ${Object.keys(data).length} data sources (of ${allResources.length} and ${allData.length})\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
