// Where the real-Terraform tests get the hashicorp/aws provider: where
// Terraform itself would look on a machine that cannot reach the registry,
// else the registry when its name resolves. TF_PLUGIN_DIR names a mirror
// explicitly (.ci/run finds one anywhere on the machine and sets it).
import { existsSync, readdirSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The provider versions the generated module allows (src/lib/render/tools.ts: >= 5.100, < 7.0). */
const usable = (version: string): boolean => {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return (major === 5 && minor >= 100) || major === 6;
};

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** Whether `dir` holds a usable hashicorp/aws for this platform unpacked (`<version>/<os_arch>/`): Terraform links to those instead of copying them. */
export function holdsUnpackedAws(dir: string): boolean {
  const aws = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  return existsSync(aws) && readdirSync(aws).some((entry) => usable(entry) && existsSync(join(aws, entry, PLATFORM)));
}

/** Whether `dir` holds a usable hashicorp/aws for this platform, laid out unpacked or packed (Terraform's two mirror layouts). */
export function holdsAws(dir: string): boolean {
  const aws = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(aws)) return false;
  for (const entry of readdirSync(aws)) {
    if (usable(entry) && existsSync(join(aws, entry, PLATFORM))) return true; // unpacked: <version>/<os_arch>/
    const packed = /^terraform-provider-aws_(\d+\.\d+\.\d+)_(\w+_\w+)\.zip$/.exec(entry); // packed: one zip per version and platform
    if (packed && usable(packed[1]!) && packed[2] === PLATFORM) return true;
  }
  return false;
}

/**
 * The directories Terraform searches without being told (its "implied local
 * mirror directories" on Linux and macOS), then its plugin cache.
 */
export function impliedDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME ?? join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    'terraform.d/plugins',
    join(home, '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    ...dataDirs.map((dir) => join(dir, 'terraform', 'plugins')),
    ...(env.TF_PLUGIN_CACHE_DIR ? [env.TF_PLUGIN_CACHE_DIR] : []),
  ];
}

export type ProviderSource = { kind: 'mirror'; dir: string } | { kind: 'registry' } | { kind: 'none'; why: string };

/** A mirror holding the provider, else the registry if its name resolves, else why neither. */
export async function findProviders(env: NodeJS.ProcessEnv = process.env): Promise<ProviderSource> {
  const given = env.TF_PLUGIN_DIR;
  if (given) return holdsAws(given) ? { kind: 'mirror', dir: given } : { kind: 'none', why: `TF_PLUGIN_DIR=${given} holds no hashicorp/aws >= 5.100, < 7 for ${PLATFORM}` };
  const dir = impliedDirectories(env).find(holdsAws);
  if (dir) return { kind: 'mirror', dir };
  try {
    await lookup('registry.terraform.io');
    return { kind: 'registry' };
  } catch {
    return {
      kind: 'none',
      why: `registry.terraform.io cannot be reached and no local mirror holds hashicorp/aws (looked in ${impliedDirectories(env).join(', ')}; set TF_PLUGIN_DIR to a mirror)`,
    };
  }
}

/** What a real-Terraform test file has to work with: the binary's version and the providers, or why it skips. */
export interface TerraformHere {
  version?: string;
  providers?: ProviderSource;
  /** Why the real-Terraform tests skip here; undefined when they run. */
  missing?: string;
}

/** The `terraform` on PATH (its version) and where the aws provider comes from; or what is missing. */
export async function terraformHere(env: NodeJS.ProcessEnv = process.env): Promise<TerraformHere> {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env });
  const version = run.status === 0 ? (JSON.parse(run.stdout) as { terraform_version: string }).terraform_version : undefined;
  if (!version) return { missing: 'no terraform binary on PATH' };
  const providers = await findProviders(env);
  return providers.kind === 'none' ? { version, providers, missing: providers.why } : { version, providers };
}

/** A Terraform CLI configuration for tests: a plugin cache, and the mirror when there is one (a user's ~/.terraformrc is not read). */
export function cliConfig(providers: ProviderSource | undefined, cache: string, quote: (text: string) => string): string {
  const mirror = providers?.kind === 'mirror' ? providers.dir : undefined;
  return [`plugin_cache_dir = ${quote(cache)}`, ...(mirror ? ['provider_installation {', '  filesystem_mirror {', `    path = ${quote(mirror)}`, '  }', '}'] : [])].join('\n') + '\n';
}
