// Render the generated repository: a pure function of (answers, generator
// version). No clock, no environment, no file-system order: templates are
// rendered in output-path order and every template sees the same inputs.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { GROUPS, INPUTS, MODULE_INPUTS, MODULE_INPUTS_SORTED, isRequired, type Answers, type Input } from './catalogue.js';
import { attributes, hcl, hclString, type HclValue } from './hcl.js';
import { OUTPUTS } from './outputs.js';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function listTemplates(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (!entry.isDirectory()) out.push(relative(dir, full).split(sep).join('/'));
      else if (entry.name !== 'partials') walk(full);
    }
  };
  walk(dir);
  return out;
}

/** Template file name → generated path: `.ejs` dropped, `_gitignore` → `.gitignore`. */
export function outputPath(template: string): string {
  return template
    .replace(/\.ejs$/, '')
    .split('/')
    .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
    .join('/');
}

/** One variable's HCL type, default and description as the templates need them. */
function variableView(input: Input) {
  return {
    ...input,
    required: isRequired(input),
    defaultHcl: isRequired(input) ? undefined : hcl(input.default as HclValue),
  };
}

export interface RenderOptions {
  version: string;
  templatesDir?: string;
}

/** Render every template; returns generated path → contents, in path order. */
export function render(answers: Answers, options: RenderOptions): Map<string, string> {
  const dir = options.templatesDir ?? TEMPLATES_DIR;
  const context = {
    answers,
    version: options.version,
    hcl,
    hclString,
    attributes,
    groups: GROUPS,
    inputs: INPUTS.map(variableView),
    moduleInputs: MODULE_INPUTS.map(variableView),
    variables: MODULE_INPUTS_SORTED.map(variableView),
    outputs: OUTPUTS,
  };
  const files = new Map<string, string>();
  // Path order by code unit, never the file system's or the locale's.
  const byPath = (a: string, b: string): number => (outputPath(a) < outputPath(b) ? -1 : outputPath(a) > outputPath(b) ? 1 : 0);
  const templates = listTemplates(dir).sort(byPath);
  for (const template of templates) {
    const source = readFileSync(join(dir, template), 'utf8');
    const text = template.endsWith('.ejs')
      ? (ejs.render(source, context, { filename: join(dir, template), escape: (value: unknown) => hcl(value as HclValue), strict: true, localsName: 'it', _with: false, async: false }) as string)
      : source;
    files.set(outputPath(template), text);
  }
  return files;
}
