// A Terraform checker for trees we generate, for machines without terraform:
// syntax (HashiCorp's parser), canonical formatting (hclwrite), references
// that resolve inside their module, module calls that match the called
// module's variables, and every resource/data block against the provider
// schema (types, arguments, nested blocks, required arguments, readable
// attributes). It also reads native test files (*.tftest.hcl) against the
// module they test, and flags null tests that rely on || or && to
// short-circuit. It is strict about what we write, not a full Terraform.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';
import { format } from '@cdktf/hcl-tools';
import { closest } from '../lib/inputs/suggest.js';
import { loadSchemas, type BlockSchema, type ProviderSchema, type TypeSchema } from './schema.js';

export interface Finding {
  file: string;
  line: number;
  check: 'syntax' | 'format' | 'reference' | 'module' | 'schema' | 'logic';
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
  checks: Set<string>;
}

/** Why a reference does not resolve, or undefined when it does (iterators: names bound by dynamic blocks). */
type Resolve = (ref: string, iterators: Set<string>) => string | undefined;
const NO_ITERATORS: ReadonlySet<string> = new Set();

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

function blockLine(file: SourceFile, kind: string, labels: string[], fromLine = 1): number {
  const header = new RegExp(`^\\s*${kind}\\s+${labels.map((l) => `"${escapeRe(l)}"`).join('\\s+')}`);
  return lineOf(file.text, header, fromLine);
}

/** Line of the first match of `snippet` (whitespace-insensitive) at or after `fromLine`, else anywhere. */
function lineOfSnippet(text: string, snippet: string, fromLine: number): number | undefined {
  // Not where the same text is the start of a longer expression.
  const more = String.raw`(?![\w.[(]|\s*(?:==|!=|<|>|\+|-|\*|%|&&|\|\|))`;
  const pattern = new RegExp(snippet.trim().split(/\s+/).map(escapeRe).join('\\s+') + more, 'g');
  pattern.lastIndex = text.split('\n').slice(0, fromLine - 1).join('\n').length;
  let match = pattern.exec(text);
  if (!match) {
    pattern.lastIndex = 0;
    match = pattern.exec(text);
  }
  return match ? text.slice(0, match.index).split('\n').length : undefined;
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
      if (path.endsWith('.tftest.hcl') && file.parsed) this.tests.push(file);
      if (!path.endsWith('.tf') || !file.parsed) continue;
      const dir = dirname(path) === '.' ? '' : dirname(path);
      if (!modules.has(dir)) modules.set(dir, emptyModule(dir));
      modules.get(dir)!.files.push(file);
    }
    for (const mod of modules.values()) this.declare(mod);
    for (const mod of modules.values()) await this.checkModule(mod, modules);
    for (const file of this.tfvars) this.checkTfvars(file, modules);
    for (const file of this.tests) await this.checkTestFile(file, modules);
    this.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    return { files: this.files, references: this.references, arguments: this.arguments, findings: this.findings };
  }

  private readonly tfvars: SourceFile[] = [];
  private readonly tests: SourceFile[] = [];

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
      for (const name of Object.keys(p.check ?? {})) mod.checks.add(name);
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

  /** Why a resource or data type has no schema to check against (a schema finding), or undefined if it has one. */
  private missingSchema(kind: 'resource' | 'data', type: string, what: string): string | undefined {
    const { schema, provider } = this.schemaFor(kind, type);
    if (schema) return undefined;
    if (!provider) return `${what} ${type}: no schema for its provider; add one to scripts/provider-schema.ts`;
    const known = kind === 'resource' ? provider.allResourceTypes : provider.allDataSourceTypes;
    if (known.includes(type)) return `${what} ${type} exists in ${provider.provider} ${provider.providerVersion} but the committed schema lacks it: run npm run schema`;
    return `${what} ${type} does not exist in ${provider.provider} ${provider.providerVersion}${suggest(type, known)}`;
  }

  /** References inside a module resolve against it. */
  private moduleScope(mod: Module, modules: Map<string, Module>, context: { each: boolean; count: boolean }): Resolve {
    return (ref, iterators) => this.resolve(mod, modules, ref, context, iterators);
  }

  private async checkModule(mod: Module, modules: Map<string, Module>): Promise<void> {
    const plain = this.moduleScope(mod, modules, { each: false, count: false });
    for (const file of mod.files) {
      const p = file.parsed as Json;
      for (const [kind, key] of [['resource', 'resource'], ['data', 'data']] as const) {
        for (const [type, byName] of Object.entries<Json>(p[key] ?? {})) {
          for (const [name, [body]] of Object.entries<Json>(byName)) {
            const line = blockLine(file, kind, [type, name]);
            const scope = this.moduleScope(mod, modules, { each: 'for_each' in body, count: 'count' in body });
            const missing = this.missingSchema(kind, type, `${kind} type`);
            if (missing) {
              this.add(file, line, 'schema', missing);
              await this.walkValues(file, body, line, scope);
              continue;
            }
            const { schema } = this.schemaFor(kind, type);
            await this.checkBlock(file, body, schema!, `${kind === 'data' ? 'data.' : ''}${type}.${name}`, line, scope, true);
          }
        }
      }
      for (const [name, [body]] of Object.entries<Json>(p.variable ?? {})) {
        // `type` holds a type constraint, not an expression.
        const { type: _type, ...rest } = body ?? {};
        await this.walkValues(file, rest, blockLine(file, 'variable', [name]), plain);
      }
      // Each block (each local) walked from its own line, so findings point into it.
      for (const section of ['output', 'provider', 'check'] as const) {
        for (const [name, blocks] of Object.entries<Json>(p[section] ?? {})) await this.walkValues(file, blocks, blockLine(file, section, [name]), plain);
      }
      const localsLines = file.text.split('\n').flatMap((text, i) => (/^locals\s*\{/.test(text) ? [i + 1] : []));
      for (const [b, block] of (p.locals ?? []).entries()) {
        for (const [key, value] of Object.entries<Json>(block)) {
          await this.walkValues(file, value, lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*=`), localsLines[b] ?? 1), plain);
        }
      }
      for (const section of ['import', 'moved', 'removed'] as const) {
        if (p[section] !== undefined) await this.walkValues(file, p[section], 1, plain);
      }
      for (const [name, { body }] of [...mod.modules].filter(([, m]) => m.file === file)) {
        await this.checkModuleCall(mod, modules, file, name, body);
      }
    }
  }

  private async checkModuleCall(mod: Module, modules: Map<string, Module>, file: SourceFile, name: string, body: Json): Promise<void> {
    const line = blockLine(file, 'module', [name]);
    const scope = this.moduleScope(mod, modules, { each: 'for_each' in body, count: 'count' in body });
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
      await this.walkValues(file, value, line, scope);
    }
    if (callee) {
      for (const [variable, { required }] of callee.variables) {
        if (required && !(variable in body)) this.add(file, line, 'module', `module ${name}: required variable ${variable} of ${source} is not passed`);
      }
    }
  }

  /** `ignore_changes` names the block's own arguments, not references; everything else in lifecycle is expressions. */
  private async checkLifecycle(file: SourceFile, value: Json, schema: BlockSchema, where: string, line: number, scope: Resolve): Promise<void> {
    for (const lifecycle of Array.isArray(value) ? value : [value]) {
      for (const [key, inner] of Object.entries<Json>(lifecycle)) {
        if (key !== 'ignore_changes') {
          await this.walkValues(file, inner, line, scope);
          continue;
        }
        const names = typeof inner === 'string' ? inner.replace(/^\$\{\[?|\]?\}$/g, '').split(',') : (inner as string[]);
        for (const raw of names) {
          const name = String(raw).replace(/^\$\{|\}$/g, '').trim().split(/[.[]/)[0] as string;
          if (name === '' || name === 'all') continue;
          if (!schema.arguments.includes(name) && !(name in schema.blocks)) {
            this.add(file, lineOf(file.text, /ignore_changes/, line), 'schema', `${where}: ignore_changes names ${name}, not an argument of this type${suggest(name, schema.arguments)}`);
          }
        }
      }
    }
  }

  private async checkBlock(file: SourceFile, body: Json, schema: BlockSchema, where: string, line: number, scope: Resolve, topLevel: boolean): Promise<void> {
    const present = new Set<string>();
    for (const [key, value] of Object.entries<Json>(body)) {
      const keyLine = lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*(=|\\{|")`), line);
      if (topLevel && key === 'lifecycle') {
        await this.checkLifecycle(file, value, schema, where, keyLine, scope);
        continue;
      }
      if (topLevel && META_ARGUMENTS.has(key)) {
        await this.walkValues(file, value, keyLine, scope);
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
            await this.walkValues(file, instance.for_each, keyLine, scope);
            // The content sees the iterator (named by `iterator`, else after the block).
            const iterator = typeof instance.iterator === 'string' ? instance.iterator.replace(/^\$\{|\}$/g, '') : blockName;
            const inner: Resolve = (ref, iterators) => scope(ref, new Set([...iterators, iterator]));
            for (const content of instance.content ?? []) {
              await this.checkBlock(file, content, nested, `${where}.${blockName}`, keyLine, inner, false);
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
          await this.checkBlock(file, instance, nested, `${where}.${key}`, keyLine, scope, false);
        }
        continue;
      }
      if (!schema.arguments.includes(key)) {
        this.add(file, keyLine, 'schema', `${where}: unknown argument ${key}${suggest(key, [...schema.arguments, ...Object.keys(schema.blocks)])}`);
      }
      await this.walkValues(file, value, keyLine, scope);
    }
    for (const required of schema.required) {
      if (!present.has(required)) this.add(file, line, 'schema', `${where}: required ${schema.blocks[required] ? 'block' : 'argument'} ${required} is missing`);
    }
  }

  /** Check every reference in a value (strings hold expressions in the JSON form), and its || / && chains. */
  private async walkValues(file: SourceFile, value: Json, line: number, scope: Resolve, iterators: ReadonlySet<string> = NO_ITERATORS): Promise<void> {
    if (typeof value === 'string') {
      if (!value.includes('${') && !value.includes('%{')) return;
      this.checkShortCircuit(file, value, line);
      let refs: { value: string }[];
      try {
        refs = await getReferencesInExpression(file.path, value);
      } catch {
        return; // the syntax check has reported it
      }
      for (const ref of refs) {
        this.references++;
        const problem = scope(ref.value, new Set(iterators));
        if (problem) {
          const first = ref.value.split('.').slice(0, 2).join('.');
          this.add(file, lineOf(file.text, new RegExp(escapeRe(first)), line), 'reference', problem);
        }
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) await this.walkValues(file, item, line, scope, iterators);
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) await this.walkValues(file, item, line, scope, iterators);
    }
  }

  /** One finding per null test that leans on || or && to skip a use of the same value. */
  private checkShortCircuit(file: SourceFile, expression: string, line: number): void {
    for (const hit of shortCircuits(lexTemplate(expression, 0, false).parts)) {
      const chain = expression.slice(hit.chain[0]!.at, hit.chain.at(-1)!.end);
      const x = hit.x.join('');
      const rest = hit.others.map((o) => expression.slice(o[0]!.at, o.at(-1)!.end).replace(/\s+/g, ' ')).join(` ${hit.operators[0]} `);
      const shown = rest.length > 60 ? '...' : rest;
      const operators = [...new Set(hit.operators)];
      const fix =
        hit.test === '==' && hit.operators.every((o) => o === '||')
          ? `${x} == null ? true : ${shown}`
          : hit.test === '!=' && hit.operators.every((o) => o === '&&')
            ? `${x} != null ? ${shown} : false`
            : `a conditional (${x} == null ? ... : ...)`;
      this.add(
        file,
        lineOfSnippet(file.text, chain, line) ?? line,
        'logic',
        `${x} is tested for null, but ${operators.length === 1 ? `${operators[0]} does` : `${operators.join(' and ')} do`} not short-circuit (Terraform before 1.12 evaluates every operand): ${hit.use} still runs and fails when ${x} is null; write ${fix}, or wrap the use in try(...)`,
      );
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

  // ---- Native test files (*.tftest.hcl) -----------------------------------
  // A test file tests the module whose directory holds it (directly or in
  // tests/); a run may swap in another with `module { source }`, a path relative
  // to that directory (terraform test runs there). Only what a test names is
  // checked: inputs it sets, what it reads and expects to fail, what it mocks
  // or overrides. Its own blocks have no provider schema to check against.

  private async checkTestFile(file: SourceFile, modules: Map<string, Module>): Promise<void> {
    const p = file.parsed as Json;
    const dir = testedDir(file.path);
    const tested = modules.get(dir);
    if (!tested) {
      this.add(file, 1, 'module', `no module under test: ${dir || 'the root directory'} has no .tf files`);
      return;
    }
    const runs = Object.entries<Json>(p.run ?? {})
      .map(([name, [body]]) => ({ name, body: body ?? {}, line: blockLine(file, 'run', [name]) }))
      .sort((a, b) => a.line - b.line);
    const targets = new Map(runs.map((run) => [run.name, this.runModule(file, tested, modules, run.name, run.body, run.line)]));
    const fileVars = Object.assign({}, ...(p.variables ?? [])) as Record<string, Json>;
    const fileScope = this.testScope(tested, modules, new Set(Object.keys(fileVars)), targets);

    // File-level variables feed every run, so each must be an input of some module a run tests.
    const variablesLine = lineOf(file.text, /^variables\s*\{/);
    for (const [key, value] of Object.entries(fileVars)) {
      this.arguments++;
      const declared = [tested, ...targets.values()].some((m) => m === undefined || m.variables.has(key));
      if (!declared) this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*=`), variablesLine), 'module', `${key} is not a variable of ${tested.dir || 'the root module'}${suggest(key, tested.variables.keys())}`);
      await this.walkValues(file, value, variablesLine, fileScope);
    }
    for (const [name, blocks] of Object.entries<Json>(p.provider ?? {})) {
      await this.walkValues(file, blocks, blockLine(file, 'provider', [name]), fileScope);
    }
    for (const [name, blocks] of Object.entries<Json>(p.mock_provider ?? {})) {
      const line = blockLine(file, 'mock_provider', [name]);
      for (const body of blocks as Json[]) this.checkMockProvider(file, tested, modules, name, body ?? {}, line);
    }
    this.checkOverrides(file, tested, modules, p, 1);

    const providers = new Set<string>();
    for (const section of ['provider', 'mock_provider']) {
      for (const [name, blocks] of Object.entries<Json>(p[section] ?? {})) for (const b of blocks as Json[]) providers.add(b?.alias ? `${name}.${b.alias}` : name);
    }
    const earlier = new Map<string, Module | undefined>();
    for (const run of runs) {
      await this.checkRun(file, modules, run, targets.get(run.name), fileVars, earlier, providers);
      earlier.set(run.name, targets.get(run.name));
    }
  }

  /** The module a run block tests: the file's, or its `module { source }` (undefined when not local or missing). */
  private runModule(file: SourceFile, tested: Module, modules: Map<string, Module>, name: string, body: Json, line: number): Module | undefined {
    const source = (body.module as Json[] | undefined)?.[0]?.source;
    if (source === undefined) return tested;
    if (typeof source !== 'string' || !/^\.\.?(\/|$)/.test(source)) return undefined;
    const mod = modules.get(normalizeDir(join(tested.dir, source)));
    if (!mod) this.add(file, lineOf(file.text, /^\s*source\s*=/, line), 'module', `run ${name}: no module at ${source} (relative to ${tested.dir || 'the root directory'})`);
    return mod;
  }

  private async checkRun(
    file: SourceFile,
    modules: Map<string, Module>,
    run: { name: string; body: Json; line: number },
    mod: Module | undefined,
    fileVars: Record<string, Json>,
    earlier: Map<string, Module | undefined>,
    providers: Set<string>,
  ): Promise<void> {
    const { name, body, line } = run;
    const runVars = Object.assign({}, ...(body.variables ?? [])) as Record<string, Json>;
    // Inputs are set from the file's variables (var.*) and earlier runs (run.*).
    const inputScope = this.testScope(mod, modules, new Set(Object.keys(fileVars)), earlier);
    const scope = this.testScope(mod, modules, new Set([...Object.keys(fileVars), ...Object.keys(runVars)]), earlier);
    for (const [key, value] of Object.entries(runVars)) {
      this.arguments++;
      if (mod && !mod.variables.has(key)) this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(key)}\\s*=`), line), 'module', `run ${name}: ${key} is not a variable of ${mod.dir || 'the root module'}${suggest(key, mod.variables.keys())}`);
      await this.walkValues(file, value, line, inputScope);
    }
    if (body.command !== undefined && !['${plan}', '${apply}'].includes(body.command)) {
      this.add(file, lineOf(file.text, /^\s*command\s*=/, line), 'schema', `run ${name}: command must be plan or apply`);
    }
    for (const assertion of body.assert ?? []) await this.walkValues(file, assertion, line, scope);
    await this.walkValues(file, body.expect_failures, line, this.testScope(mod, modules, new Set(), earlier, true));
    for (const options of body.plan_options ?? []) await this.walkValues(file, [options?.replace, options?.target], line, scope);
    for (const value of Object.values<Json>(body.providers ?? {})) {
      const provider = typeof value === 'string' ? value.replace(/^\$\{|\}$/g, '').trim() : '';
      if (!providers.has(provider)) this.add(file, lineOf(file.text, new RegExp(`=\\s*${escapeRe(provider)}\\s*$`), line), 'reference', `run ${name}: provider ${provider} is not configured in this file${suggest(provider, providers)}`);
    }
    if (mod) this.checkOverrides(file, mod, modules, body, line);
  }

  /** References from a test: the module's inputs, outputs, resources and data, and earlier runs' outputs. */
  private testScope(mod: Module | undefined, modules: Map<string, Module>, vars: Set<string>, runs: Map<string, Module | undefined>, expectFailures = false): Resolve {
    return (ref, iterators) => {
      if (!mod) return undefined; // a module from elsewhere: nothing to check it against
      const [root, second = '', third] = ref.split('.').filter((part) => !/^\d+$/.test(part)) as [string, string?, string?];
      if (iterators.has(root) || BUILTIN_ROOTS.has(root)) return undefined;
      const where = mod.dir || 'the root module';
      switch (root) {
        case 'var':
          return vars.has(second) || mod.variables.has(second) ? undefined : `var.${second} is not a variable of ${where}${suggest(second, [...mod.variables.keys(), ...vars])}`;
        case 'output':
          return mod.outputs.has(second) ? undefined : `output.${second} is not an output of ${where}${suggest(second, mod.outputs.keys())}`;
        case 'run': {
          if (!runs.has(second)) return `run.${second} is not a run block before this one${suggest(second, runs.keys())}`;
          const outputs = runs.get(second)?.outputs;
          return outputs && third && !outputs.has(third) ? `run.${second} has no output ${third}${suggest(third, outputs.keys())}` : undefined;
        }
        case 'check':
          if (!expectFailures) return `check.${second}: a test names a check block only in expect_failures`;
          return mod.checks.has(second) ? undefined : `check.${second} is not declared in ${where}${suggest(second, mod.checks)}`;
        case 'local':
          return `local.${second}: a test cannot read the module's locals; assert on an output or a resource`;
        case 'each':
        case 'count':
          return `${root}.* is not available in a test file`;
        default:
          return this.resolve(mod, modules, ref, { each: false, count: false }, iterators);
      }
    };
  }

  /** mock_resource / mock_data types must exist, and their defaults must be attributes of the type. */
  private checkMockProvider(file: SourceFile, mod: Module, modules: Map<string, Module>, provider: string, body: Json, line: number): void {
    for (const [kind, key] of [['resource', 'mock_resource'], ['data', 'mock_data']] as const) {
      for (const [type, instances] of Object.entries<Json>(body[key] ?? {})) {
        const typeLine = blockLine(file, key, [type], line);
        if (this.schemas.has(provider) && type.split('_')[0] !== provider) {
          this.add(file, typeLine, 'schema', `${key} ${type} is not a type of provider ${provider}`);
          continue;
        }
        const missing = this.missingSchema(kind, type, `${key} type`);
        if (missing) {
          // The committed schema covers the types the templates declare, so a
          // type no module here declares is a mock nothing uses.
          const declared = [...modules.values()].some((m) => [...(kind === 'resource' ? m.resources : m.data).keys()].some((k) => k.startsWith(`${type}.`)));
          const unused = !declared && /exists in .* but the committed schema lacks it/.test(missing);
          this.add(file, typeLine, 'schema', unused ? `${key} type ${type}: no module here declares one, so the mock is never used` : missing);
          continue;
        }
        const { schema } = this.schemaFor(kind, type);
        for (const instance of instances as Json[]) {
          for (const attribute of Object.keys(instance?.defaults ?? {})) {
            this.arguments++;
            if (!schema!.attributes.includes(attribute)) {
              this.add(file, lineOf(file.text, new RegExp(`^\\s*${escapeRe(attribute)}\\s*=`), typeLine), 'schema', `${key} ${type}: defaults sets ${attribute}, which is not an attribute of ${type}${suggest(attribute, schema!.attributes)}`);
            }
          }
        }
      }
    }
    this.checkOverrides(file, mod, modules, body, line);
  }

  /** override_resource / override_data / override_module must target something the module declares. */
  private checkOverrides(file: SourceFile, mod: Module, modules: Map<string, Module>, body: Json, line: number): void {
    for (const kind of ['override_resource', 'override_data', 'override_module'] as const) {
      for (const override of body[kind] ?? []) {
        const target = typeof override?.target === 'string' ? override.target.replace(/^\$\{|\}$/g, '').trim() : '';
        const targetLine = target ? lineOf(file.text, new RegExp(`^\\s*target\\s*=\\s*${escapeRe(target)}\\s*$`), line) : line;
        const problem = target ? this.overrideProblem(mod, modules, kind, target) : `${kind} needs a target`;
        if (problem) this.add(file, targetLine, 'reference', problem);
      }
    }
  }

  private overrideProblem(mod: Module, modules: Map<string, Module>, kind: 'override_resource' | 'override_data' | 'override_module', target: string): string | undefined {
    // Instance keys do not change which block is meant.
    const parts = target.replace(/\[[^\]]*\]/g, '').split('.');
    let current = mod;
    // Walk down module.<name> steps into local child modules.
    while (parts[0] === 'module' && parts.length > (kind === 'override_module' ? 2 : 1)) {
      const call = current.modules.get(parts[1] ?? '');
      if (!call) return `${kind} target ${target}: module.${parts[1]} is not declared in ${current.dir || 'the root module'}${suggest(parts[1] ?? '', current.modules.keys())}`;
      const source = call.body.source;
      const child = typeof source === 'string' && /^\.\.?(\/|$)/.test(source) ? modules.get(normalizeDir(join(current.dir, source))) : undefined;
      if (!child) return undefined; // a module from elsewhere
      current = child;
      parts.splice(0, 2);
    }
    const where = current.dir || 'the root module';
    const address = parts.join('.');
    switch (kind) {
      case 'override_module':
        return parts[0] === 'module' && current.modules.has(parts[1] ?? '') ? undefined : `${kind} target ${target} is not a module call in ${where}${suggest(parts[1] ?? address, current.modules.keys())}`;
      case 'override_data':
        return parts[0] === 'data' && current.data.has(parts.slice(1).join('.')) ? undefined : `${kind} target ${target} is not a data source of ${where}${suggest(parts.slice(1).join('.'), current.data.keys())}`;
      default:
        return current.resources.has(address) ? undefined : `${kind} target ${target} is not a resource of ${where}${suggest(address, current.resources.keys())}`;
    }
  }
}

function emptyModule(dir: string): Module {
  return { dir, files: [], variables: new Map(), locals: new Map(), outputs: new Map(), resources: new Map(), data: new Map(), modules: new Map(), checks: new Set() };
}

function normalizeDir(path: string): string {
  const normal = join(path).split(sep).join('/');
  return normal === '.' ? '' : normal.replace(/\/$/, '');
}

/** The directory of the module a test file tests: the one holding its tests/ folder, or its own. */
function testedDir(path: string): string {
  const dir = dirname(path) === '.' ? '' : dirname(path);
  if (dir === 'tests') return '';
  return dir.endsWith('/tests') ? dir.slice(0, -'/tests'.length) : dir;
}

// ---- Short-circuit reliance -------------------------------------------------
// Terraform before 1.12 evaluates every operand of || and &&, so a null test
// joined to a use of the same value does not guard the use:
// `var.x == null || length(var.x) > 0` fails when var.x is null. A conditional
// (`var.x == null ? true : length(var.x) > 0`) evaluates only the branch it
// picks, and can()/try() catch the error. Expressions are tokenized (strings,
// templates, heredocs, comments and brackets respected), not fully parsed: the
// rule only needs the operands of each ||/&& chain and what binds to a value.

interface Token {
  kind: 'word' | 'number' | 'string' | 'op' | 'group';
  text: string; // source text
  at: number; // offsets into the expression
  end: number;
  open?: string; // a group's bracket
  items?: Token[]; // a group's contents
  parts?: Token[][]; // a string's interpolations and directives
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const LONG_OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>'];
const WORD = /[A-Za-z_][\w-]*(?:::[A-Za-z_][\w-]*)*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEREDOC = /<<-?([A-Za-z_][\w-]*)\r?\n/y;

/** Tokens of an expression from `from` up to `close` (consumed) or the end. */
function lex(src: string, from: number, close?: string): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = from;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    return re.exec(src);
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === close) return { tokens, end: i + 1 };
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' || src.startsWith('//', i)) {
      const eol = src.indexOf('\n', i);
      i = eol < 0 ? src.length : eol;
    } else if (src.startsWith('/*', i)) {
      const done = src.indexOf('*/', i + 2);
      i = done < 0 ? src.length : done + 2;
    } else if (c === '"') {
      const template = lexTemplate(src, i + 1, true);
      tokens.push({ kind: 'string', text: src.slice(i, template.end), at: i, end: template.end, parts: template.parts });
      i = template.end;
    } else if (at(HEREDOC)) {
      const opening = at(HEREDOC)!;
      const body = i + opening[0].length;
      const terminator = new RegExp(`\\n[ \\t]*${escapeRe(opening[1] as string)}[ \\t]*(?=\\r?\\n|$)`, 'g');
      terminator.lastIndex = body - 1;
      const found = terminator.exec(src);
      const end = found ? found.index + found[0].length : src.length;
      tokens.push({ kind: 'string', text: src.slice(i, end), at: i, end, parts: lexTemplate(src, body, false, found ? found.index : src.length).parts });
      i = end;
    } else if (CLOSING[c]) {
      const inner = lex(src, i + 1, CLOSING[c]);
      tokens.push({ kind: 'group', text: src.slice(i, inner.end), at: i, end: inner.end, open: c, items: inner.tokens });
      i = inner.end;
    } else if (c === ')' || c === ']' || c === '}') {
      return { tokens, end: i + 1 }; // unbalanced: the parser has reported it
    } else {
      const word = at(WORD)?.[0];
      const number = word ? undefined : at(NUMBER)?.[0];
      const text = word ?? number ?? LONG_OPERATORS.find((op) => src.startsWith(op, i)) ?? c;
      tokens.push({ kind: word ? 'word' : number ? 'number' : 'op', text, at: i, end: i + text.length });
      i += text.length;
    }
  }
  return { tokens, end: i };
}

/** The interpolations and directives of a template (a quoted string's body, a heredoc's, or a JSON-form value). */
function lexTemplate(src: string, from: number, quoted: boolean, limit = src.length): { parts: Token[][]; end: number } {
  const parts: Token[][] = [];
  let i = from;
  while (i < limit) {
    const c = src[i];
    if (quoted && c === '"') return { parts, end: i + 1 };
    if (quoted && c === '\\') {
      i += 2;
    } else if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
      i += 3; // $${ and %%{ are literal
    } else if ((c === '$' || c === '%') && src[i + 1] === '{') {
      const inner = lex(src, i + 2, '}');
      parts.push(inner.tokens.filter((t) => !(t.kind === 'op' && t.text === '~'))); // strip markers
      i = inner.end;
    } else {
      i++;
    }
  }
  return { parts, end: limit };
}

const isOp = (t: Token | undefined, ...ops: string[]): boolean => t?.kind === 'op' && ops.includes(t.text);
const LOGICAL = ['||', '&&'];
/** What ends an operand of || / && : every construct that binds more loosely. */
const isBoundary = (t: Token, previous?: Token): boolean =>
  isOp(t, ',', '?', ':', '=', '=>', '...') || (t.kind === 'word' && ['for', 'in', 'if'].includes(t.text) && !isOp(previous, '.'));
/** Boundaries that also end a conditional's results. */
const isHardBoundary = (t: Token, previous?: Token): boolean => isBoundary(t, previous) && !isOp(t, '?', ':');

function splitTop(tokens: Token[], at: (t: Token, previous?: Token) => boolean): Token[][] {
  const pieces: Token[][] = [[]];
  tokens.forEach((t, i) => (at(t, tokens[i - 1]) ? pieces.push([]) : pieces.at(-1)!.push(t)));
  return pieces;
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if']);
const SPLATS = new Set(['.*', '[*]']);

/** A reference starting at tokens[i] (var.x, aws_lb.this[0].arn, s), as steps; not a call or a literal. */
function traversalAt(tokens: Token[], i: number): { steps: string[]; next: number; indexes: Token[] } | undefined {
  const first = tokens[i];
  if (first?.kind !== 'word' || KEYWORDS.has(first.text) || isOp(tokens[i - 1], '.')) return undefined;
  if (tokens[i + 1]?.open === '(') return undefined;
  const steps = [first.text];
  const indexes: Token[] = [];
  let j = i + 1;
  for (;;) {
    const t = tokens[j];
    const after = tokens[j + 1];
    if (isOp(t, '.') && (after?.kind === 'word' || after?.kind === 'number' || isOp(after, '*'))) {
      steps.push(`.${after!.text}`);
      j += 2;
    } else if (t?.open === '[') {
      steps.push(t.text.replace(/\s+/g, ''));
      indexes.push(t);
      j++;
    } else {
      return { steps, next: j, indexes };
    }
  }
}

function unwrap(tokens: Token[]): Token[] {
  while (tokens.length === 1 && tokens[0]!.open === '(') tokens = tokens[0]!.items!;
  return tokens;
}

const sameSteps = (a: string[], b: string[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** Whether the tokens are exactly the reference x (brackets allowed). */
function isExactly(tokens: Token[], x: string[]): boolean {
  const inner = unwrap(tokens);
  const t = traversalAt(inner, 0);
  return t !== undefined && t.next === inner.length && sameSteps(t.steps, x);
}

/** The reference an operand tests for null (X == null, null != X, (X == null), !(X != null)) and the effective test. */
function nullTest(operand: Token[]): { x: string[]; test: '==' | '!=' } | undefined {
  let tokens = unwrap(operand);
  let negated = false;
  while (tokens.length === 2 && isOp(tokens[0], '!') && tokens[1]!.open === '(') {
    negated = !negated;
    tokens = unwrap(tokens[1]!.items!);
  }
  if (tokens.length < 3) return undefined;
  const isNull = (t: Token | undefined): boolean => t?.kind === 'word' && t.text === 'null';
  const compared = isNull(tokens.at(-1)) && isOp(tokens.at(-2), '==', '!=') ? tokens.slice(0, -2) : isNull(tokens[0]) && isOp(tokens[1], '==', '!=') ? tokens.slice(2) : undefined;
  const t = compared && traversalAt(compared, 0);
  if (!t || t.next !== compared!.length) return undefined;
  const equals = (isNull(tokens.at(-1)) ? tokens.at(-2) : tokens[1])!.text === '==';
  return { x: t.steps, test: equals !== negated ? '==' : '!=' };
}

const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

/**
 * The operation the value at tokens[start, end) is a direct operand of, shown
 * around `name`, when that operation fails on null (all but == and !=). A
 * prefix ! or - binds tightest; otherwise the tighter neighbour wins.
 */
function failingOperator(tokens: Token[], start: number, end: number, name: string): string | undefined {
  const before = tokens[start - 1];
  const after = tokens[end];
  if (isOp(before, '!') || (isOp(before, '-') && (start < 2 || tokens[start - 2]!.kind === 'op'))) return `${before!.text}${name}`;
  const left = before?.kind === 'op' ? PRECEDENCE[before.text] : undefined;
  const right = after?.kind === 'op' ? PRECEDENCE[after.text] : undefined;
  let shown: string | undefined;
  if (left !== undefined && (right === undefined || left >= right)) shown = `... ${before!.text} ${name}`;
  else if (right !== undefined) shown = `${name} ${after!.text} ...`;
  else if (isOp(after, '?')) shown = `${name} ? ... : ...`; // the condition of a conditional
  return shown && !/ (==|!=) /.test(shown) ? shown : undefined;
}

/** Source text for a message, or `short` when it is long or spans lines. */
const shorten = (text: string, short: string): string => (text.length > 50 || text.includes('\n') ? short : text);

/** Functions that catch errors: nothing inside them fails the expression. */
const CATCHING = new Set(['can', 'try']);
/** Functions that take a null argument (conversions pass it on, the rest skip or print it). */
const NULL_ARGUMENTS = new Set(['coalesce', 'coalescelist', 'merge', 'tostring', 'tonumber', 'tobool', 'tolist', 'toset', 'tomap', 'jsonencode', 'yamlencode', 'format', 'sensitive', 'nonsensitive', 'type']);

/** How `tokens` use x in a way that fails when x is null (as source-like text), or undefined. */
function unsafeUse(tokens: Token[], x: string[]): string | undefined {
  const name = x.join('');
  // A conditional whose condition tests x for null evaluates only the branch it
  // picks, so uses in its results are guarded (up to the end of the conditional).
  const guarded = new Set<number>();
  let start = 0;
  tokens.forEach((t, i) => {
    if (isOp(t, '?')) {
      const condition = splitTop(tokens.slice(start, i), (o) => isOp(o, ...LOGICAL));
      if (condition.some((operand) => sameSteps(nullTest(operand)?.x ?? [], x))) {
        for (let j = i + 1; j < tokens.length && !isHardBoundary(tokens[j]!, tokens[j - 1]); j++) guarded.add(j);
      }
    }
    if (isBoundary(t, tokens[i - 1])) start = i + 1;
  });
  for (let i = 0; i < tokens.length; i++) {
    if (guarded.has(i)) continue;
    const t = tokens[i]!;
    const call = t.kind === 'word' && tokens[i + 1]?.open === '(' ? tokens[i + 1]! : undefined;
    if (call) {
      i++;
      if (CATCHING.has(t.text)) continue;
      for (const argument of splitTop(call.items!, (o) => isOp(o, ',', '...'))) {
        if (!NULL_ARGUMENTS.has(t.text) && isExactly(argument, x)) return shorten(`${t.text}${call.text}`, `${t.text}(... ${name} ...)`);
        const use = unsafeUse(argument, x);
        if (use) return use;
      }
      continue;
    }
    const traversal = traversalAt(tokens, i);
    if (traversal) {
      const { steps } = traversal;
      if (steps.length > x.length && sameSteps(steps.slice(0, x.length), x) && !SPLATS.has(steps[x.length]!)) return steps.slice(0, x.length + 1).join('');
      if (sameSteps(steps, x)) {
        const operation = failingOperator(tokens, i, traversal.next, name);
        if (operation) return operation;
        if (tokens[i - 1]?.kind === 'word' && tokens[i - 1]!.text === 'in') return `for ... in ${name}`;
      }
      for (const index of traversal.indexes) {
        if (isExactly(index.items!, x)) return shorten(steps.join(''), `...[${name}]`);
        const use = unsafeUse(index.items!, x);
        if (use) return use;
      }
      i = traversal.next - 1;
      continue;
    }
    if (t.open === '[' && tokens[i - 1]?.kind === 'group' && isExactly(t.items!, x)) return `...[${name}]`; // indexes a call's result
    const use = t.items ? unsafeUse(t.items, x) : t.parts?.map((part) => (isExactly(part, x) ? `"\${${name}}"` : unsafeUse(part, x))).find(Boolean);
    if (use) return use;
  }
  return undefined;
}

interface ShortCircuit {
  x: string[];
  test: '==' | '!=';
  use: string;
  chain: Token[];
  others: Token[][];
  operators: string[];
}

/** Every ||/&& chain, at any depth, with a null test of X in one operand and an unsafe use of X in another. */
function shortCircuits(parts: Token[][]): ShortCircuit[] {
  const hits: ShortCircuit[] = [];
  for (const tokens of parts) {
    for (const t of tokens) hits.push(...shortCircuits([...(t.items ? [t.items] : []), ...(t.parts ?? [])]));
    for (const chain of splitTop(tokens, isBoundary)) {
      const operands = splitTop(chain, (t) => isOp(t, ...LOGICAL));
      if (operands.length < 2) continue;
      const operators = chain.filter((t) => isOp(t, ...LOGICAL)).map((t) => t.text);
      const seen = new Set<string>();
      for (const [k, operand] of operands.entries()) {
        const test = nullTest(operand);
        if (!test || seen.has(test.x.join(''))) continue;
        seen.add(test.x.join(''));
        const others = operands.filter((_, j) => j !== k);
        for (const other of others) {
          // A bare x is itself an operand of || / &&, which fails on null.
          const use = isExactly(other, test.x) ? `${test.x.join('')} as an operand of ${operators[0]}` : unsafeUse(other, test.x);
          if (use) {
            hits.push({ ...test, use, chain, others, operators });
            break;
          }
        }
      }
    }
  }
  return hits;
}

export async function verify(root: string, schemas?: Map<string, ProviderSchema>): Promise<Report> {
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a directory`);
  return new Verifier(resolve(root), schemas).run();
}

export function summaryLine(root: string, report: Report): string {
  return `verify ${root}: ${report.files} files, ${report.references} references, ${report.arguments} arguments checked, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`;
}
