// The AWS clients discovery and preflight use: the SDK for JavaScript v3's
// modular clients, each loaded at its first use (the bundle keeps them out of
// --help, --version and unattended runs). Every client takes the standard
// configuration: the credential chain (environment, shared config and SSO
// profiles, --profile), AWS_REGION/AWS_PROFILE, AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE>, and the SDK's standard retry. The region is the
// answers' (aws_region), whatever the profile says.
//
// Every call goes through `call`, which names the IAM action it needs and turns
// a failure into an AwsProblem: nothing here throws at the caller.
import { classify, type AwsProblem } from './errors.js';

export interface AwsSettings {
  /** The region to read (the answers' aws_region). */
  region: string;
  /** A named profile (--profile); otherwise the standard chain (AWS_PROFILE, environment, ...). */
  profile?: string;
  /** More client configuration for every client, of the SDK's own options (tests set a retryStrategy without delays). */
  clientConfig?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: AwsProblem; action: string };

export interface Identity {
  account: string;
  arn: string;
}

type Loaded<M, C> = { m: M; client: C };

/** The clients of one region and profile, and the calls made through them. */
export class Aws {
  readonly region: string;
  readonly profile: string | undefined;
  readonly #config: Record<string, unknown>;
  readonly #clients = new Map<string, Promise<unknown>>();
  /** Every IAM action asked for, in order (what the README's policy must allow). */
  readonly actions: string[] = [];

  constructor(settings: AwsSettings) {
    this.region = settings.region;
    this.profile = settings.profile;
    this.#config = { region: settings.region, ...(settings.profile ? { profile: settings.profile } : {}), ...settings.clientConfig };
  }

  #client<M, C>(key: string, make: (config: Record<string, unknown>) => Promise<Loaded<M, C>>): Promise<Loaded<M, C>> {
    let found = this.#clients.get(key) as Promise<Loaded<M, C>> | undefined;
    if (!found) {
      found = make(this.#config);
      this.#clients.set(key, found);
    }
    return found;
  }

  ec2 = () => this.#client('ec2', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.EC2Client(c) }; });
  rds = () => this.#client('rds', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.RDSClient(c) }; });
  secrets = () => this.#client('secretsmanager', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.SecretsManagerClient(c) }; });
  ecs = () => this.#client('ecs', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.ECSClient(c) }; });
  kms = () => this.#client('kms', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.KMSClient(c) }; });
  // The bucket may be in another region: S3 says which, and the client follows.
  s3 = () => this.#client('s3', async (c) => { const m = await import('@aws-sdk/client-s3'); return { m, client: new m.S3Client({ followRegionRedirects: true, ...c }) }; });
  iam = () => this.#client('iam', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.IAMClient(c) }; });
  ecr = () => this.#client('ecr', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.ECRClient(c) }; });
  sts = () => this.#client('sts', async (c) => { const m = await import('./sdk.js'); return { m, client: new m.STSClient(c) }; });

  /** One call, named by the IAM action it needs: its value, or what went wrong. */
  async call<T>(action: string, send: () => Promise<T>): Promise<Result<T>> {
    this.actions.push(action);
    try {
      return { ok: true, value: await send() };
    } catch (error) {
      return { ok: false, problem: classify(error), action };
    }
  }

  /** Who the credentials are (sts:GetCallerIdentity, which no policy can deny): resolves the credential chain. */
  async identity(): Promise<Result<Identity>> {
    const { m, client } = await this.sts();
    const result = await this.call('sts:GetCallerIdentity', () => client.send(new m.GetCallerIdentityCommand({})));
    if (!result.ok) return result;
    return { ok: true, value: { account: result.value.Account ?? '', arn: result.value.Arn ?? '' } };
  }

  /** The region the profile (or AWS_REGION) names, when one does: to say so when it is not the answers'. */
  async configuredRegion(): Promise<string | undefined> {
    try {
      const { STSClient } = await import('./sdk.js');
      const client = new STSClient(this.profile ? { profile: this.profile } : {});
      const region = await client.config.region();
      client.destroy();
      return region || undefined;
    } catch {
      return undefined;
    }
  }

  /** Close the clients' connections (the process can then end at once). */
  async close(): Promise<void> {
    for (const pending of this.#clients.values()) {
      try {
        ((await pending) as { client: { destroy(): void } }).client.destroy();
      } catch {
        // a client that never loaded has nothing to close
      }
    }
  }
}

/** Follow a paginated call to its end (at most `limit` pages, so a huge account stays quick). */
export async function allPages<P, I>(fetch: (token: string | undefined) => Promise<Result<P>>, items: (page: P) => readonly I[] | undefined, next: (page: P) => string | undefined, limit = 20): Promise<Result<I[]>> {
  const found: I[] = [];
  let token: string | undefined;
  for (let page = 0; page < limit; page++) {
    const result = await fetch(token);
    if (!result.ok) return result;
    found.push(...(items(result.value) ?? []));
    token = next(result.value);
    if (!token) break;
  }
  return { ok: true, value: found };
}
