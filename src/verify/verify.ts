// The second opinion: what real Terraform cannot check on these machines.
// `terraform validate` and `terraform test` (test/terraform.test.ts) judge
// syntax, formatting, references, module inputs and validation logic with the
// aws provider the local mirror holds, 5.100. Users run 6.x as well
// (versions.tf allows it), whose schema differs. So this reads a generated
// tree's HCL and checks every use of the aws provider against the committed
// 6.x schema (src/verify/schemas/aws.json, `npm run schema`):
//   - every resource, data source, mock and override names a type 6.x has;
//   - every argument and nested block (dynamic ones too) is one of the
//     type's, required ones are present, and lifecycle.ignore_changes names
//     the type's arguments;
//   - every attribute read (aws_x.name.attr, data.aws_x.name.attr, in the
//     module and in its tests) is one 6.x exports, and not one it deprecates;
//   - a mock's defaults and an override's values set attributes of the type.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';
import { closest } from '../lib/inputs/suggest.js';
import { loadSchemas, type BlockSchema, type ProviderSchema, type TypeSchema } from './schema.js';

export interface Finding {
  file: string;
  line: number;
  /** `syntax`: the file could not be read, so nothing in it was checked. */
  check: 'syntax' | 'schema';
  message: string;
}

export interface Report {
  files: number;
  references: number;
  arguments: number;
  findings: Finding[];
}

type Json = any; // HashiCorp's JSON form of HCL

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'provisioner', 'connection']);
/** Attributes the provider still lists but has deprecated in the major version we target. */
const DEPRECATED: Record<string, Record<string, string>> = {
  'data.aws_region': { name: 'deprecated in aws provider 6; read .region' },
};

interface SourceFile {
  path: string;
  text: string;
}

type Kind = 'resource' | 'data';

function walkFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.terraform' || entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tf|tftest\.hcl)$/.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Line of the first `needle` match at or after `fromLine` (1-based); `fromLine` when absent. */
function lineOf(text: string, needle: RegExp, fromLine = 1): number {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) if (needle.test(lines[i] as string)) return i + 1;
  return fromLine;
}

const blockLine = (file: SourceFile, kind: string, labels: string[], fromLine = 1): number =>
  lineOf(file.text, new RegExp(`^\\s*${kind}\\s+${labels.map((l) => `"${escapeRe(l)}"`).join('\\s+')}`), fromLine);

function suggest(name: string, options: Iterable<string>): string {
  const best = closest(name, options, Math.max(2, Math.floor(name.length / 4)));
  return best ? ` (did you mean ${best}?)` : '';
}

const bare = (expression: unknown): string => (typeof expression === 'string' ? expression.replace(/^\$\{|\}$/g, '').trim() : '');

class Verifier {
  readonly findings: Finding[] = [];
  references = 0;
  arguments = 0;

  constructor(private readonly schemas: Map<string, ProviderSchema>) {}

  private add(file: SourceFile, line: number, check: Finding['check'], message: string): void {
    this.findings.push({ file: file.path, line, check, message });
  }

  private schemaFor(kind: Kind, type: string): { schema?: TypeSchema; provider?: ProviderSchema } {
    const provider = this.schemas.get(type.split('_')[0] as string);
    if (!provider) return {};
    return { provider, schema: (kind === 'resource' ? provider.resources : provider.dataSources)[type] };
  }

  /** Why a type cannot be checked (a finding), or undefined when the schema has it. */
  private missingSchema(kind: Kind, type: string, what: string): string | undefined {
    const { schema, provider } = this.schemaFor(kind, type);
    if (schema) return undefined;
    if (!provider) return `${what} ${type}: no schema for its provider; add one to scripts/provider-schema.ts`;
    const known = kind === 'resource' ? provider.allResourceTypes : provider.allDataSourceTypes;
    if (known.includes(type)) return `${what} ${type} exists in ${provider.provider} ${provider.providerVersion} but the committed schema lacks it: run npm run schema`;
    return `${what} ${type} does not exist in ${provider.provider} ${provider.providerVersion}${suggest(type, known)}`;
  }

  async file(path: string, text: string): Promise<void> {
    const file: SourceFile = { path, text };
    let parsed: Json;
    try {
      parsed = await parse(path, text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const where = /:(\d+),(\d+)/.exec(message);
      this.add(file, where ? Number(where[1]) : 1, 'syntax', `cannot be read, so not checked: ${message.split('\n')[0] ?? message}`);
      return;
    }
    if (path.endsWith('.tftest.hcl')) await this.testFile(file, parsed);
    else await this.moduleFile(file, parsed);
  }

  private async moduleFile(file: SourceFile, parsed: Json): Promise<void> {
    // A Terraform override file (override.tf, *_override.tf) holds parts of blocks declared elsewhere,
    // merged argument by argument: its top-level blocks lack required arguments by design.
    const partial = /(^|\/)(override|[^/]*_override)\.tf$/.test(file.path);
    for (const [kind, key] of [['resource', 'resource'], ['data', 'data']] as const) {
      for (const [type, byName] of Object.entries<Json>(parsed[key] ?? {})) {
        for (const [name, [body]] of Object.entries<Json>(byName)) {
          const line = blockLine(file, kind, [type, name]);
          const missing = this.missingSchema(kind, type, `${kind} type`);
          if (missing) this.add(file, line, 'schema', missing);
          else this.block(file, body ?? {}, this.schemaFor(kind, type).schema!, `${kind === 'data' ? 'data.' : ''}${type}.${name}`, line, true, partial);
        }
      }
    }
    await this.attributesRead(file, parsed);
  }

  private block(file: SourceFile, body: Json, schema: BlockSchema, where: string, line: number, topLevel: boolean, partial = false): void {
    const present = new Set<string>();
    for (const [key, value] of Object.entries<Json>(body)) {
      const keyLine = lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*(=|\\{|")`), line);
      if (topLevel && META_ARGUMENTS.has(key)) continue;
      if (topLevel && key === 'lifecycle') {
        for (const lifecycle of Array.isArray(value) ? value : [value]) this.ignoreChanges(file, lifecycle?.ignore_changes, schema, where, keyLine);
        continue;
      }
      if (key === 'dynamic') {
        for (const [blockName, instances] of Object.entries<Json>(value)) {
          present.add(blockName);
          const nested = schema.blocks[blockName];
          if (!nested) {
            this.add(file, keyLine, 'schema', `${where}: dynamic block ${blockName} is not a block of this type${suggest(blockName, Object.keys(schema.blocks))}`);
            continue;
          }
          for (const instance of instances as Json[]) for (const content of instance.content ?? []) this.block(file, content, nested, `${where}.${blockName}`, keyLine, false);
        }
        continue;
      }
      this.arguments++;
      present.add(key);
      const nested = schema.blocks[key];
      if (nested) {
        for (const instance of Array.isArray(value) ? value : [value]) {
          if (typeof instance !== 'object' || instance === null) this.add(file, keyLine, 'schema', `${where}: ${key} is a block; write ${key} { ... }`);
          else this.block(file, instance, nested, `${where}.${key}`, keyLine, false);
        }
      } else if (!schema.arguments.includes(key)) {
        this.add(file, keyLine, 'schema', `${where}: unknown argument ${key}${suggest(key, [...schema.arguments, ...Object.keys(schema.blocks)])}`);
      }
    }
    for (const required of partial ? [] : schema.required) {
      if (!present.has(required)) this.add(file, line, 'schema', `${where}: required ${schema.blocks[required] ? 'block' : 'argument'} ${required} is missing`);
    }
  }

  /** `ignore_changes` names the block's own arguments. */
  private ignoreChanges(file: SourceFile, value: Json, schema: BlockSchema, where: string, line: number): void {
    if (value === undefined) return;
    const names = typeof value === 'string' ? bare(value).replace(/^\[|\]$/g, '').split(',') : (value as string[]);
    for (const raw of names) {
      const name = bare(String(raw)).split(/[.[]/)[0] as string;
      if (name === '' || name === 'all') continue;
      if (!schema.arguments.includes(name) && !(name in schema.blocks)) {
        this.add(file, lineOf(file.text, /ignore_changes/, line), 'schema', `${where}: ignore_changes names ${name}, not an argument of this type${suggest(name, schema.arguments)}`);
      }
    }
  }

  /** Every aws_x.name.attr and data.aws_x.name.attr read anywhere in the file: exported, and not deprecated. */
  private async attributesRead(file: SourceFile, value: Json): Promise<void> {
    if (typeof value === 'string') {
      if (!value.includes('${') && !value.includes('%{')) return;
      let refs: { value: string }[];
      try {
        refs = await getReferencesInExpression(file.path, value);
      } catch {
        return; // terraform validate says what is wrong with it
      }
      for (const ref of refs) {
        const steps = ref.value.split('.').filter((step) => !/^\d+$/.test(step));
        // Through a module call (module.m.aws_x...) the same rules hold.
        while (steps[0] === 'module') steps.splice(0, 2);
        const [kind, type, name, attribute] = steps[0] === 'data' ? (['data', steps[1], steps[2], steps[3]] as const) : (['resource', steps[0], steps[1], steps[2]] as const);
        if (!type || !this.schemas.has(type.split('_')[0] as string) || !type.includes('_') || attribute === undefined) continue;
        this.references++;
        const problem = this.attribute(kind, type, attribute, `${kind === 'data' ? 'data.' : ''}${type}.${name}`);
        if (problem) this.add(file, lineOf(file.text, new RegExp(`${escapeRe(type)}\\.${escapeRe(String(name))}\\S*\\.${escapeRe(attribute)}`)), 'schema', problem);
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) await this.attributesRead(file, item);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) await this.attributesRead(file, item);
  }

  private attribute(kind: Kind, type: string, attribute: string, where: string): string | undefined {
    const deprecated = DEPRECATED[`${kind === 'data' ? 'data.' : ''}${type}`]?.[attribute];
    if (deprecated) return `${where}.${attribute} is ${deprecated}`;
    const { schema } = this.schemaFor(kind, type);
    if (!schema) return this.missingSchema(kind, type, `${where}: type`);
    return schema.attributes.includes(attribute) ? undefined : `${where} has no attribute ${attribute}${suggest(attribute, schema.attributes)}`;
  }

  /** A test file: its mocks and overrides name real types and attributes; what its runs read is exported. */
  private async testFile(file: SourceFile, parsed: Json): Promise<void> {
    for (const [provider, blocks] of Object.entries<Json>(parsed.mock_provider ?? {})) {
      const line = blockLine(file, 'mock_provider', [provider]);
      for (const body of blocks as Json[]) {
        for (const [kind, key] of [['resource', 'mock_resource'], ['data', 'mock_data']] as const) {
          for (const [type, instances] of Object.entries<Json>(body?.[key] ?? {})) {
            const typeLine = blockLine(file, key, [type], line);
            const missing = this.missingSchema(kind, type, `${key} type`);
            if (missing) {
              this.add(file, typeLine, 'schema', missing);
              continue;
            }
            for (const instance of instances as Json[]) this.settings(file, kind, type, Object.keys(instance?.defaults ?? {}), `${key} ${type}: defaults`, typeLine);
          }
        }
        this.overrides(file, body ?? {}, line);
      }
    }
    this.overrides(file, parsed, 1);
    for (const [name, [body]] of Object.entries<Json>(parsed.run ?? {})) {
      const line = blockLine(file, 'run', [name]);
      this.overrides(file, body ?? {}, line);
      await this.attributesRead(file, body?.assert ?? []);
    }
  }

  private overrides(file: SourceFile, body: Json, line: number): void {
    for (const [kind, key] of [['resource', 'override_resource'], ['data', 'override_data']] as const) {
      for (const override of body[key] ?? []) {
        const steps = bare(override?.target).replace(/\[[^\]]*\]/g, '').split('.');
        while (steps[0] === 'module') steps.splice(0, 2);
        const type = kind === 'data' ? steps[1] : steps[0];
        if (!type || !this.schemas.has(type.split('_')[0] as string)) continue;
        const targetLine = lineOf(file.text, /^\s*target\s*=/, line);
        const missing = this.missingSchema(kind, type, `${key} target type`);
        if (missing) this.add(file, targetLine, 'schema', missing);
        else this.settings(file, kind, type, Object.keys(override?.values ?? {}), `${key} ${bare(override.target)}: values`, targetLine);
      }
    }
  }

  private settings(file: SourceFile, kind: Kind, type: string, names: string[], what: string, line: number): void {
    const { schema } = this.schemaFor(kind, type);
    for (const attribute of names) {
      this.arguments++;
      if (!schema!.attributes.includes(attribute)) {
        this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(attribute)}\\s*=`), line), 'schema', `${what} sets ${attribute}, which is not an attribute of ${type}${suggest(attribute, schema!.attributes)}`);
      }
    }
  }
}

/** Check every .tf and .tftest.hcl file under `root` against the committed provider schemas. */
export async function verify(root: string, schemas: Map<string, ProviderSchema> = loadSchemas()): Promise<Report> {
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  const full = resolve(root);
  const verifier = new Verifier(schemas);
  const files = walkFiles(full);
  for (const path of files) await verifier.file(relative(full, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  const findings = verifier.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { files: files.length, references: verifier.references, arguments: verifier.arguments, findings };
}

export function summaryLine(root: string, report: Report): string {
  return `verify ${root}: ${report.files} files, ${report.references} attribute reads, ${report.arguments} arguments checked against the aws provider 6 schema, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`;
}
