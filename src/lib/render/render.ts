// Render the generated repository: a pure function of (answers, generator
// version). No clock, no environment, no file-system order: templates are
// rendered in output-path order and every template sees the same inputs.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ejs from 'ejs';
import { TEMPLATES_DIR } from '../package.js';
import { GROUPS, INPUTS, INPUT_BY_NAME, MODULE_INPUTS, MODULE_INPUTS_SORTED, VARIABLE_INPUTS, isNullable, isRequired, type Answers, type Input } from '../inputs/catalogue.js';
import { DERIVED_NAMES, type DerivedName } from '../inputs/validators.js';
import { adoption, type Adoption } from '../adopt/render.js';
import { ADOPTED_NAMES, adopting, nameHcl } from '../adopt/terraform-aws-metaflow.js';
import { canonical, iamPolicies } from './grants.js';
import { attributes, hcl, hclString, type HclValue } from './hcl.js';
import { OUTPUTS } from './outputs.js';
import { PARTITION_REGIONS, fixtureInputs, mockAccount, validationRounds } from './testcases.js';
import { TOOLS } from './tools.js';
import { deterministicZip } from './zip.js';

/** A generated file: text, or the bytes of a built artifact. */
export type FileContent = string | Buffer;

/** A file built from the files below a folder (a re-run rebuilds it from that folder as it ends up). */
export interface Artifact {
  path: string;
  /** The folder, with a trailing '/'. */
  from: string;
  /** Names (of files or folders) below `from` that are not part of it. */
  skip: (name: string) => boolean;
  /** The bytes, from the files below `from`: names relative to it, '/'-separated. */
  build: (files: readonly { name: string; data: Uint8Array }[]) => Buffer;
}

/**
 * Artifacts built from rendered sources: the migration function's Lambda
 * package is a zip of every regular file under its folder (links, __pycache__/
 * and *.pyc left out), with fixed bytes, as the generated repo's
 * functions/build.py rebuilds and checks it.
 */
export const ARTIFACTS: readonly Artifact[] = [
  {
    path: 'functions/db_migrate.zip',
    from: 'functions/db_migrate/',
    skip: (name) => name === '__pycache__' || name.endsWith('.pyc'),
    build: (files) => deterministicZip(files),
  },
];

/** The folder of the templates an adopting render adds (templates/adopt/<adopt_from>/, laid out as the repository). */
export const ADOPT_TEMPLATES = 'adopt';

function listTemplates(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (!entry.isDirectory()) out.push(relative(dir, full).split(sep).join('/'));
      else if (entry.name !== 'partials' && !(current === dir && entry.name === ADOPT_TEMPLATES)) walk(full);
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
    nullable: isNullable(input),
    defaultHcl: isRequired(input) ? undefined : hcl(input.default as HclValue),
  };
}

/**
 * The README's inputs/outputs block exactly as terraform-docs writes it with
 * the generated .terraform-docs.yml (markdown table, anchors, no escaping,
 * sorted by name), so a later `terraform-docs .` finds nothing to change.
 */
function terraformDocs(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br/>');
  const byName = <T extends { name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const anchor = (kind: string, name: string): string => `<a name="${kind}_${name}"></a> [${name}](#${kind}_${name})`;
  const lines = [
    '## Requirements',
    '',
    '| Name | Version |',
    '| ---- | ------- |',
    `| ${anchor('requirement', 'terraform')} | ${TOOLS.requiredVersion} |`,
    `| ${anchor('requirement', 'aws')} | ${TOOLS.awsProvider} |`,
    '',
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '| ---- | ----------- | ---- | ------- | :------: |',
    ...byName(MODULE_INPUTS).map((input) => {
      const required = isRequired(input);
      const fallback = required ? 'n/a' : `\`${cell(hcl(input.default as HclValue))}\``;
      return `| ${anchor('input', input.name)} | ${cell(input.description)} | \`${input.type}\` | ${fallback} | ${required ? 'yes' : 'no'} |`;
    }),
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '| ---- | ----------- |',
    ...byName(OUTPUTS).map((output) => `| ${anchor('output', output.name)} | ${cell(output.description)} |`),
  ];
  return ['<!-- BEGIN_TF_DOCS -->', ...lines, '<!-- END_TF_DOCS -->'].join('\n');
}

export interface RenderOptions {
  version: string;
  templatesDir?: string;
}

/** The artifacts built from these text files (the sources as generated, or as they end up after a merge). */
export function buildArtifacts(texts: ReadonlyMap<string, string>): Map<string, Buffer> {
  const built = new Map<string, Buffer>();
  for (const artifact of ARTIFACTS) {
    const entries = [...texts].filter(([path]) => path.startsWith(artifact.from)).map(([path, data]) => ({ name: path.slice(artifact.from.length), data: Buffer.from(data, 'utf8') }));
    if (entries.length > 0) built.set(artifact.path, artifact.build(entries));
  }
  return built;
}

/** Render every template and build the artifacts; returns generated path → contents, in path order. */
export function render(answers: Answers, options: RenderOptions): Map<string, FileContent> {
  const dir = options.templatesDir ?? TEMPLATES_DIR;
  // Adopting an existing deployment: the rules of variables.tf that differ then, the names the module builds, and the files it adds.
  const adopt: Adoption | undefined = adopting(answers) ? adoption(answers) : undefined;
  const rules = (input: Input): Input => (adopt && input.adoptedHcl ? { ...input, hcl: input.adoptedHcl } : input);
  const names: readonly DerivedName[] = adopt ? ADOPTED_NAMES : DERIVED_NAMES;
  const context = {
    answers,
    version: options.version,
    hcl,
    hclString,
    attributes,
    adopt,
    groups: GROUPS,
    inputs: VARIABLE_INPUTS.map(rules).map(variableView),
    /** The inputs whose answers the CHANGELOG quotes: the variables, and the generator's own answers that say something (adopting). */
    recorded: INPUTS.filter((input) => input.scope !== 'generator' || (answers[input.name] ?? null) !== null).map(variableView),
    moduleInputs: MODULE_INPUTS.map(rules).map(variableView),
    variables: MODULE_INPUTS_SORTED.map(rules).map(variableView),
    outputs: OUTPUTS,
    tools: TOOLS,
    docs: terraformDocs,
    testing: {
      region: INPUT_BY_NAME.get('aws_region')?.example,
      partitionRegions: PARTITION_REGIONS,
      fixtureInputs,
      mockAccount,
      iamPolicies: (inputs: Answers, account: Parameters<typeof iamPolicies>[1]) => iamPolicies(inputs, account, names),
      canonical,
      /** A name the module builds, as HCL, with the region a test runs in. */
      name: (id: string, region: string) => nameHcl(names, id, region),
      validationRounds: validationRounds(MODULE_INPUTS.map(rules)),
      rootValidationRounds: validationRounds(INPUTS.filter((input) => input.scope === 'root').map(rules), 'invalid_example_values'),
    },
  };
  const texts = new Map<string, string>();
  // Path order by code unit, never the file system's or the locale's.
  const byPath = (a: string, b: string): number => (outputPath(a) < outputPath(b) ? -1 : outputPath(a) > outputPath(b) ? 1 : 0);
  const sources = listTemplates(dir).map((template) => ({ from: dir, template }));
  if (adopt) {
    const adoptDir = join(dir, ADOPT_TEMPLATES, adopt.from);
    sources.push(...listTemplates(adoptDir).map((template) => ({ from: adoptDir, template })));
  }
  for (const { from, template } of sources.sort((a, b) => byPath(a.template, b.template))) {
    const source = readFileSync(join(from, template), 'utf8');
    const text = template.endsWith('.ejs')
      ? (ejs.render(source, context, { filename: join(from, template), escape: (value: unknown) => hcl(value as HclValue), strict: true, localsName: 'it', _with: false, async: false }) as string)
      : source;
    if (texts.has(outputPath(template))) throw new Error(`${outputPath(template)} is rendered twice`);
    texts.set(outputPath(template), text);
  }
  const files = new Map<string, FileContent>([...texts, ...buildArtifacts(texts)]);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
