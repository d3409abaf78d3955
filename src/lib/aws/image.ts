// Whether a container image exists where its registry can be asked: an image
// reference read the way Docker reads it, and the registry's manifest asked
// for through the OCI distribution API (anonymous, with the bearer token a
// public registry hands out). ECR images of the account are asked through ECR
// (preflight.ts). Loopback registries are asked over plain HTTP, as Docker does.

export interface ImageRef {
  /** Registry host (and port): registry-1.docker.io for Docker Hub. */
  registry: string;
  repository: string;
  /** A tag or a digest (sha256:...). */
  reference: string;
  /** Set for an ECR private registry: its account and region. */
  ecr?: { account: string; region: string };
}

/** The parts of an image reference (`[registry/]repository[:tag][@digest]`), Docker Hub's defaults filled in. */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : 'registry-1.docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(':');
  let tag = 'latest';
  if (colon !== -1) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = 'registry-1.docker.io';
  if (registry === 'registry-1.docker.io' && !path.includes('/')) path = `library/${path}`;
  const ecr = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(registry);
  return { registry, repository: path, reference: digest ?? tag, ...(ecr ? { ecr: { account: ecr[1] as string, region: ecr[2] as string } } : {}) };
}

export type RegistryAnswer = { found: true } | { found: false; status: number } | { unknown: string };

const MANIFESTS = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const isLoopback = (registry: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);

/** A bearer challenge's parameters: `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): Record<string, string> | undefined {
  const match = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, value] of (match[1] as string).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[(key as string).toLowerCase()] = value as string;
  return params;
}

/** Ask a registry whether the image's manifest exists (HEAD, then an anonymous token when the registry asks for one). */
export async function askRegistry(ref: ImageRef, timeoutMs = 5000): Promise<RegistryAnswer> {
  const base = `${isLoopback(ref.registry) ? 'http' : 'https'}://${ref.registry}`;
  const url = `${base}/v2/${ref.repository}/manifests/${ref.reference}`;
  const head = (authorization?: string): Promise<Response> =>
    fetch(url, { method: 'HEAD', headers: { accept: MANIFESTS, ...(authorization ? { authorization } : {}) }, signal: AbortSignal.timeout(timeoutMs) });
  try {
    let response = await head();
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
      if (!challenge?.realm) return { unknown: `${ref.registry} asks for credentials this check does not have` };
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
      tokenUrl.searchParams.set('scope', challenge.scope ?? `repository:${ref.repository}:pull`);
      const tokenResponse = await fetch(tokenUrl, { signal: AbortSignal.timeout(timeoutMs) });
      if (!tokenResponse.ok) return { unknown: `${ref.registry} gave no anonymous token (HTTP ${tokenResponse.status}): a private image, not checked` };
      const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
      response = await head(`Bearer ${body.token ?? body.access_token ?? ''}`);
      if (response.status === 401 || response.status === 403) return { unknown: `${ref.registry} refuses anonymous pulls of ${ref.repository}: a private image, not checked` };
    }
    if (response.ok) return { found: true };
    if (response.status === 404) return { found: false, status: 404 };
    return { unknown: `${ref.registry} answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return { unknown: `${ref.registry} could not be reached (${cause})` };
  }
}
