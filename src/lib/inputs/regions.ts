// The AWS regions of every partition, read from the partition data the AWS SDK
// ships and maintains (`partitions.json` of its endpoint rule sets). Since
// @aws-sdk/util-endpoints 3.996.10 that data lives in @aws-sdk/core, compiled to
// `export const partitionsInfo = {...}`, and no entry point of the package
// exports it: we read that file, parse its JSON literal, and check its shape,
// so an SDK that moves or reshapes it fails loudly here (and in the tests)
// instead of letting every region through. @aws-sdk/core is pinned to an exact
// version in package.json for that reason: bump it to get new regions, and run
// test/validators.test.ts, which compares this list with the SDK's own
// `partition()` lookup.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface SdkPartition {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, ... */
  id: string;
  /** The SDK's pattern for region names of this partition (JavaScript syntax). */
  regionRegex: string;
  /** Its regions, sorted; pseudo-regions such as `aws-global` are left out (they fail `regionRegex`). */
  regions: readonly string[];
}

export const SDK_PACKAGE = '@aws-sdk/core';
export const SDK_DATA_FILE = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

/** Parse the SDK's partitions module text; throws with the reason when it is not what we expect. */
export function parsePartitions(text: string, where = SDK_DATA_FILE): SdkPartition[] {
  const match = /^\s*export const partitionsInfo\s*=\s*(\{[\s\S]*\})\s*;?\s*$/.exec(text);
  if (!match) throw new Error(`${where}: expected "export const partitionsInfo = {...}"`);
  const data: unknown = JSON.parse(match[1] as string);
  const partitions = (data as { partitions?: unknown }).partitions;
  if (!Array.isArray(partitions) || partitions.length === 0) throw new Error(`${where}: no "partitions" list`);
  return partitions.map((p: unknown, i) => {
    const { id, regionRegex, regions } = (p ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof regionRegex !== 'string' || typeof regions !== 'object' || regions === null) {
      throw new Error(`${where}: partition ${i + 1} lacks id, regionRegex or regions`);
    }
    const pattern = new RegExp(regionRegex);
    return { id, regionRegex, regions: Object.keys(regions).filter((r) => pattern.test(r)).sort() };
  });
}

/**
 * The SDK's partitions module text, put in by the build (scripts/build.ts)
 * when it bundles the bin and the generator, which then need no node_modules.
 * Unbundled (tests, tsx) it is undefined and the file is read from the SDK.
 */
declare const __SDK_PARTITIONS__: string | undefined;

function load(): SdkPartition[] {
  if (typeof __SDK_PARTITIONS__ === 'string') return parsePartitions(__SDK_PARTITIONS__, `${SDK_PACKAGE}/${SDK_DATA_FILE} (bundled)`);
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve(`${SDK_PACKAGE}/package.json`)), SDK_DATA_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the AWS region list from ${SDK_PACKAGE} (${file}): ${(error as Error).message}`);
  }
  return parsePartitions(text, file);
}

/** Every partition the SDK knows, in its order. */
export const SDK_PARTITIONS: readonly SdkPartition[] = load();
