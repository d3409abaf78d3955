// The compact provider schema the verifier reads (see scripts/provider-schema.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BlockSchema {
  /** Argument names (not blocks). */
  arguments: string[];
  /** Required arguments and blocks. */
  required: string[];
  /** Nested block types. */
  blocks: Record<string, BlockSchema>;
}

export interface TypeSchema extends BlockSchema {
  /** Everything a reference may read: arguments, blocks and computed attributes. */
  attributes: string[];
}

export interface ProviderSchema {
  provider: string;
  providerVersion: string;
  derivedFrom: string;
  note: string;
  allResourceTypes: string[];
  allDataSourceTypes: string[];
  resources: Record<string, TypeSchema>;
  dataSources: Record<string, TypeSchema>;
}

const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'schemas');

/**
 * The committed schemas, keyed by the type prefix they cover (aws_, ...): every
 * <prefix>.json in the directory, so dropping a provider is deleting its file.
 */
export function loadSchemas(dir = SCHEMA_DIR): Map<string, ProviderSchema> {
  const out = new Map<string, ProviderSchema>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    out.set(name.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, name), 'utf8')) as ProviderSchema);
  }
  return out;
}
