// A Terraform checker for trees we generate, for machines without terraform:
// syntax (HashiCorp's parser), canonical formatting (hclwrite), references
// that resolve inside their module, module calls that match the called
// module's variables, and every resource/data block against the provider
// schema (types, arguments, nested blocks, required arguments, readable
// attributes). It is strict about what we write, not a full Terraform.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';
import { format } from '@cdktf/hcl-tools';
import { closest } from '../lib/suggest.js';
import { loadSchemas, type BlockSchema, type ProviderSchema, type TypeSchema } from './schema.js';

export interface Finding {
  file: string;
  line: number;
  check: 'syntax' | 'format' | 'reference' | 'module' | 'schema';
  message: string;
}

export interface Report {
  files: number;
  references: number;
  arguments: number;
  findings: Finding[];
}

type Json = any; // HashiCorp's JSON form of HCL

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const BUILTIN_ROOTS = new Set(['path', 'terraform', 'self']);
/** Attributes the provider still lists but has deprecated in the major version we target. */
const DEPRECATED: Record<string, Record<string, string>> = {
  'data.aws_region': { name: 'deprecated in aws provider 6; read .region' },
};

interface SourceFile {
  path: string; // relative to the verified root
  text: string;
  parsed?: Json;
}

interface Module {
  dir: string; // relative, '' for the root
  files: SourceFile[];
  variables: Map<string, { file: SourceFile; required: boolean }>;
  locals: Map<string, SourceFile>;
  outputs: Map<string, SourceFile>;
  resources: Map<string, SourceFile>; // "type.name"
  data: Map<string, SourceFile>; // "type.name"
  modules: Map<string, { file: SourceFile; body: Json }>;
}

function walkFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.terraform' || entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tf|tfvars|tftest\.hcl)$/.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** Line of the first `needle` match at or after `fromLine` (1-based); `fromLine` when absent. */
function lineOf(text: string, needle: RegExp, fromLine = 1): number {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) if (needle.test(lines[i] as string)) return i + 1;
  return fromLine;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function blockLine(file: SourceFile, kind: string, labels: string[]): number {
  const header = new RegExp(`^\\s*${kind}\\s+${labels.map((l) => `"${escapeRe(l)}"`).join('\\s+')}`);
  return lineOf(file.text, header);
}

function suggest(name: string, options: Iterable<string>): string {
  const best = closest(name, options, Math.max(2, Math.floor(name.length / 4)));
  return best ? ` (did you mean ${best}?)` : '';
}

/** Strings in the source that are nothing but one interpolation, e.g. "${var.x}". */
function interpolationOnly(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(#|\/\/)/.test(line)) return;
    if (/(^|[^\w"])"\$\{[^"{}]*(\{[^"{}]*\}[^"{}]*)*\}"/.test(line)) lines.push(i + 1);
  });
  return lines;
}

export class Verifier {
  readonly findings: Finding[] = [];
  references = 0;
  arguments = 0;
  files = 0;
  private readonly schemas: Map<string, ProviderSchema>;

  constructor(
    private readonly root: string,
    schemas?: Map<string, ProviderSchema>,
  ) {
    this.schemas = schemas ?? loadSchemas();
  }

  private add(file: SourceFile | string, line: number, check: Finding['check'], message: string): void {
    this.findings.push({ file: typeof file === 'string' ? file : file.path, line, check, message });
  }

  async run(): Promise<Report> {
    const modules = new Map<string, Module>();
    for (const full of walkFiles(this.root)) {
      this.files++;
      const path = relative(this.root, full).split(sep).join('/');
      const file: SourceFile = { path, text: readFileSync(full, 'utf8') };
      await this.checkSyntaxAndFormat(file);
      if (path.endsWith('.tfvars') && file.parsed) this.tfvars.push(file);
      if (!path.endsWith('.tf') || !file.parsed) continue;
      const dir = dirname(path) === '.' ? '' : dirname(path);
      if (!modules.has(dir)) modules.set(dir, emptyModule(dir));
      modules.get(dir)!.files.push(file);
    }
    for (const mod of modules.values()) this.declare(mod);
    for (const mod of modules.values()) await this.checkModule(mod, modules);
    for (const file of this.tfvars) this.checkTfvars(file, modules);
    this.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    return { files: this.files, references: this.references, arguments: this.arguments, findings: this.findings };
  }

  private readonly tfvars: SourceFile[] = [];

  private async checkSyntaxAndFormat(file: SourceFile): Promise<void> {
    try {
      file.parsed = await parse(file.path, file.text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const where = /:(\d+),(\d+)/.exec(message);
      this.add(file, where ? Number(where[1]) : 1, 'syntax', message.split('\n')[0] ?? message);
      return;
    }
    const formatted = await format(file.text);
    if (formatted !== file.text) {
      const a = file.text.split('\n');
      const b = formatted.split('\n');
      let line = 0;
      while (line < a.length && a[line] === b[line]) line++;
      this.add(file, line + 1, 'format', 'not in canonical format (terraform fmt would change it here)');
    }
    for (const line of interpolationOnly(file.text)) {
      this.add(file, line, 'format', 'interpolation-only string: write the expression without "${...}"');
    }
  }

  private declare(mod: Module): void {
    for (const file of mod.files) {
      const p = file.parsed as Json;
      for (const [name, [body]] of Object.entries<Json>(p.variable ?? {})) {
        this.unique(mod.variables, name, file, 'variable');
        mod.variables.set(name, { file, required: !('default' in (body ?? {})) });
      }
      for (const block of p.locals ?? []) for (const name of Object.keys(block)) this.unique(mod.locals, name, file, 'local') || mod.locals.set(name, file);
      for (const name of Object.keys(p.output ?? {})) this.unique(mod.outputs, name, file, 'output') || mod.outputs.set(name, file);
      for (const [type, byName] of Object.entries<Json>(p.resource ?? {})) {
        for (const name of Object.keys(byName)) this.unique(mod.resources, `${type}.${name}`, file, 'resource') || mod.resources.set(`${type}.${name}`, file);
      }
      for (const [type, byName] of Object.entries<Json>(p.data ?? {})) {
        for (const name of Object.keys(byName)) this.unique(mod.data, `${type}.${name}`, file, 'data source') || mod.data.set(`${type}.${name}`, file);
      }
      for (const [name, [body]] of Object.entries<Json>(p.module ?? {})) mod.modules.set(name, { file, body });
    }
  }

  private unique(map: Map<string, unknown>, name: string, file: SourceFile, what: string): boolean {
    if (!map.has(name)) return false;
    this.add(file, lineOf(file.text, new RegExp(`"${escapeRe(name.split('.').pop() as string)}"|\\b${escapeRe(name)}\\s*=`)), 'reference', `${what} ${name} is declared twice`);
    return true;
  }

  private schemaFor(kind: 'resource' | 'data', type: string): { schema?: TypeSchema; provider?: ProviderSchema } {
    const provider = this.schemas.get(type.split('_')[0] as string);
    if (!provider) return {};
    return { provider, schema: (kind === 'resource' ? provider.resources : provider.dataSources)[type] };
  }

  private async checkModule(mod: Module, modules: Map<string, Module>): Promise<void> {
    for (const file of mod.files) {
      const p = file.parsed as Json;
      for (const [kind, key] of [['resource', 'resource'], ['data', 'data']] as const) {
        for (const [type, byName] of Object.entries<Json>(p[key] ?? {})) {
          for (const [name, [body]] of Object.entries<Json>(byName)) {
            const line = blockLine(file, kind, [type, name]);
            const context = { each: 'for_each' in body, count: 'count' in body };
            const { schema, provider } = this.schemaFor(kind, type);
            if (!provider) {
              this.add(file, line, 'schema', `${kind} type ${type}: no schema for its provider; add one to scripts/provider-schema.ts`);
              await this.walkValues(mod, modules, file, body, line, context);
              continue;
            }
            if (!schema) {
              const known = kind === 'resource' ? provider.allResourceTypes : provider.allDataSourceTypes;
              if (known.includes(type)) {
                this.add(file, line, 'schema', `${kind} type ${type} exists in ${provider.provider} ${provider.providerVersion} but the committed schema lacks it: run npm run schema`);
              } else {
                this.add(file, line, 'schema', `${kind} type ${type} does not exist in ${provider.provider} ${provider.providerVersion}${suggest(type, known)}`);
              }
              await this.walkValues(mod, modules, file, body, line, context);
              continue;
            }
            await this.checkBlock(mod, modules, file, body, schema, `${kind === 'data' ? 'data.' : ''}${type}.${name}`, line, context, true);
          }
        }
      }
      for (const [name, [body]] of Object.entries<Json>(p.variable ?? {})) {
        // `type` holds a type constraint, not an expression.
        const { type: _type, ...rest } = body ?? {};
        await this.walkValues(mod, modules, file, rest, blockLine(file, 'variable', [name]), { each: false, count: false });
      }
      for (const section of ['locals', 'output', 'provider', 'check', 'import', 'moved', 'removed'] as const) {
        if (p[section] === undefined) continue;
        await this.walkValues(mod, modules, file, p[section], 1, { each: false, count: false });
      }
      for (const [name, { body }] of [...mod.modules].filter(([, m]) => m.file === file)) {
        await this.checkModuleCall(mod, modules, file, name, body);
      }
    }
  }

  private async checkModuleCall(mod: Module, modules: Map<string, Module>, file: SourceFile, name: string, body: Json): Promise<void> {
    const line = blockLine(file, 'module', [name]);
    const context = { each: 'for_each' in body, count: 'count' in body };
    const source = body.source;
    const callee = typeof source === 'string' && /^\.\.?(\/|$)/.test(source) ? modules.get(normalizeDir(join(mod.dir, source))) : undefined;
    if (typeof source === 'string' && /^\.\.?(\/|$)/.test(source) && !callee) {
      this.add(file, line, 'module', `module ${name}: no module at ${source}`);
    }
    for (const [key, value] of Object.entries<Json>(body)) {
      if (!MODULE_META.has(key)) {
        this.arguments++;
        if (callee && !callee.variables.has(key)) this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*=`), line), 'module', `module ${name}: ${source} declares no variable ${key}${suggest(key, callee.variables.keys())}`);
      }
      await this.walkValues(mod, modules, file, value, line, context);
    }
    if (callee) {
      for (const [variable, { required }] of callee.variables) {
        if (required && !(variable in body)) this.add(file, line, 'module', `module ${name}: required variable ${variable} of ${source} is not passed`);
      }
    }
  }

  private async checkBlock(
    mod: Module,
    modules: Map<string, Module>,
    file: SourceFile,
    body: Json,
    schema: BlockSchema,
    where: string,
    line: number,
    context: { each: boolean; count: boolean },
    topLevel: boolean,
  ): Promise<void> {
    const present = new Set<string>();
    for (const [key, value] of Object.entries<Json>(body)) {
      const keyLine = lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*(=|\\{|")`), line);
      if (topLevel && META_ARGUMENTS.has(key)) {
        await this.walkValues(mod, modules, file, value, keyLine, context);
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
          for (const instance of instances as Json[]) {
            const inner = { each: context.each, count: context.count };
            await this.walkValues(mod, modules, file, instance.for_each, keyLine, inner, new Set([blockName]));
            for (const content of instance.content ?? []) {
              await this.checkBlock(mod, modules, file, content, nested, `${where}.${blockName}`, keyLine, context, false);
            }
          }
        }
        continue;
      }
      this.arguments++;
      present.add(key);
      const nested = schema.blocks[key];
      if (nested) {
        const instances = Array.isArray(value) ? value : [value];
        for (const instance of instances) {
          if (typeof instance !== 'object' || instance === null) {
            this.add(file, keyLine, 'schema', `${where}: ${key} is a block; write ${key} { ... }`);
            continue;
          }
          await this.checkBlock(mod, modules, file, instance, nested, `${where}.${key}`, keyLine, context, false);
        }
        continue;
      }
      if (!schema.arguments.includes(key)) {
        this.add(file, keyLine, 'schema', `${where}: unknown argument ${key}${suggest(key, [...schema.arguments, ...Object.keys(schema.blocks)])}`);
      }
      await this.walkValues(mod, modules, file, value, keyLine, context);
    }
    for (const required of schema.required) {
      if (!present.has(required)) this.add(file, line, 'schema', `${where}: required ${schema.blocks[required] ? 'block' : 'argument'} ${required} is missing`);
    }
  }

  /** Check every reference in a value (strings hold expressions in the JSON form). */
  private async walkValues(
    mod: Module,
    modules: Map<string, Module>,
    file: SourceFile,
    value: Json,
    line: number,
    context: { each: boolean; count: boolean },
    iterators: Set<string> = new Set(),
  ): Promise<void> {
    if (typeof value === 'string') {
      if (!value.includes('${') && !value.includes('%{')) return;
      let refs: { value: string }[];
      try {
        refs = await getReferencesInExpression(file.path, value);
      } catch {
        return; // the syntax check has reported it
      }
      for (const ref of refs) {
        this.references++;
        const problem = this.resolve(mod, modules, ref.value, context, iterators);
        if (problem) {
          const first = ref.value.split('.').slice(0, 2).join('.');
          this.add(file, lineOf(file.text, new RegExp(escapeRe(first)), line), 'reference', problem);
        }
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) await this.walkValues(mod, modules, file, item, line, context, iterators);
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) await this.walkValues(mod, modules, file, item, line, context, iterators);
    }
  }

  private resolve(mod: Module, modules: Map<string, Module>, ref: string, context: { each: boolean; count: boolean }, iterators: Set<string>): string | undefined {
    const parts = ref.split('.').filter((part) => !/^\d+$/.test(part));
    const [root, second, third, fourth] = parts as [string, string?, string?, string?];
    if (iterators.has(root) || BUILTIN_ROOTS.has(root)) return undefined;
    switch (root) {
      case 'var':
        return mod.variables.has(second ?? '') ? undefined : `var.${second} is not declared in ${mod.dir || 'the root module'}${suggest(second ?? '', mod.variables.keys())}`;
      case 'local':
        return mod.locals.has(second ?? '') ? undefined : `local.${second} is not defined in ${mod.dir || 'the root module'}${suggest(second ?? '', mod.locals.keys())}`;
      case 'each':
        return context.each ? undefined : 'each.* is used outside a block with for_each';
      case 'count':
        return context.count ? undefined : 'count.index is used outside a block with count';
      case 'module': {
        const call = mod.modules.get(second ?? '');
        if (!call) return `module.${second} is not declared${suggest(second ?? '', mod.modules.keys())}`;
        const source = call.body.source;
        const callee = typeof source === 'string' ? modules.get(normalizeDir(join(mod.dir, source))) : undefined;
        if (callee && third && !callee.outputs.has(third)) return `module.${second} has no output ${third}${suggest(third, callee.outputs.keys())}`;
        return undefined;
      }
      case 'data': {
        const key = `${second}.${third}`;
        if (!mod.data.has(key)) return `data.${key} is not declared${suggest(key, mod.data.keys())}`;
        return this.attribute('data', second ?? '', fourth, `data.${key}`);
      }
      default: {
        if (!root.includes('_')) return `${ref}: unknown reference`;
        const key = `${root}.${second}`;
        if (!mod.resources.has(key)) return `${key} is not declared${suggest(key, mod.resources.keys())}`;
        return this.attribute('resource', root, third, key);
      }
    }
  }

  private attribute(kind: 'resource' | 'data', type: string, attribute: string | undefined, where: string): string | undefined {
    if (!attribute) return undefined;
    const deprecated = DEPRECATED[`${kind === 'data' ? 'data.' : ''}${type}`]?.[attribute];
    if (deprecated) return `${where}.${attribute} is ${deprecated}`;
    const { schema } = this.schemaFor(kind, type);
    if (!schema || schema.attributes.includes(attribute)) return undefined;
    return `${where} has no attribute ${attribute}${suggest(attribute, schema.attributes)}`;
  }

  private checkTfvars(file: SourceFile, modules: Map<string, Module>): void {
    const dir = dirname(file.path) === '.' ? '' : dirname(file.path);
    const mod = modules.get(dir);
    if (!mod) return;
    for (const key of Object.keys(file.parsed as Json)) {
      this.arguments++;
      if (!mod.variables.has(key)) this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*=`)), 'module', `${key} is not a variable of ${dir || 'the root module'}${suggest(key, mod.variables.keys())}`);
    }
  }
}

function emptyModule(dir: string): Module {
  return { dir, files: [], variables: new Map(), locals: new Map(), outputs: new Map(), resources: new Map(), data: new Map(), modules: new Map() };
}

function normalizeDir(path: string): string {
  const normal = join(path).split(sep).join('/');
  return normal === '.' ? '' : normal.replace(/\/$/, '');
}

export async function verify(root: string, schemas?: Map<string, ProviderSchema>): Promise<Report> {
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  return new Verifier(resolve(root), schemas).run();
}

export function summaryLine(root: string, report: Report): string {
  return `verify ${root}: ${report.files} files, ${report.references} references, ${report.arguments} arguments checked, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`;
}
