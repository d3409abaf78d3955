// What an AWS call that failed means for the user: a kind, what AWS said, and
// what to do. Pure: it reads the error the SDK threw (its name, message,
// $metadata and cause), never the network. Discovery and preflight turn these
// into one line each, never a stack trace.

export type ProblemKind =
  /** The credential chain found nothing (no profile, no environment keys, no role). */
  | 'no-credentials'
  /** An SSO profile whose token is missing or expired: `aws sso login`. */
  | 'sso-expired'
  /** Credentials that resolved but AWS refuses (expired session, unknown key, bad signature). */
  | 'bad-credentials'
  /** AccessDenied and friends: this one call is not allowed. */
  | 'denied'
  /** The resource named does not exist (or is not visible to this account). */
  | 'not-found'
  /** Throttled after the SDK's standard retries. */
  | 'throttled'
  /** The endpoint could not be reached (network, DNS, timeout). */
  | 'unreachable'
  | 'other';

export interface AwsProblem {
  kind: ProblemKind;
  /** The error code AWS (or the SDK) gave, e.g. AccessDeniedException. */
  code: string;
  /** What AWS said, on one line, without secrets (AWS messages hold none). */
  message: string;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError', 'Forbidden', 'AllAccessDisabled']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'EC2ThrottledException', 'PriorRequestNotComplete']);
const BAD_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidToken', 'IncompleteSignature', 'InvalidSignatureException', 'MissingAuthenticationToken']);
const NOT_FOUND = /NotFound|NoSuchEntity|NoSuchBucket|^NotFound$|Missing$|ResourceNotFoundException|DBInstanceNotFound|DBClusterNotFound|ClusterNotFoundException|RepositoryNotFoundException|ImageNotFoundException/;
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** What kind of failure an error thrown by an AWS SDK call (or credential resolution) is. */
export function classify(error: unknown): AwsProblem {
  if (!(error instanceof Error)) return { kind: 'other', code: 'Error', message: oneLine(String(error)) };
  const e = error as Error & { code?: string; Code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  const code = e.Code ?? (e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = oneLine(e.message || `HTTP ${status ?? '?'}`);
  const nodeCode = e.code ?? (e.cause as { code?: string } | undefined)?.code;
  if (e.name === 'CredentialsProviderError' || e.name === 'TokenProviderError') {
    if (/sso|token/i.test(message) && /expired|refresh|invalid|login/i.test(message)) return { kind: 'sso-expired', code, message };
    return { kind: 'no-credentials', code, message };
  }
  if (BAD_CREDENTIALS.has(code)) return { kind: 'bad-credentials', code, message };
  if (DENIED.has(code) || (status === 403 && !BAD_CREDENTIALS.has(code))) return { kind: 'denied', code, message };
  if (THROTTLED.has(code) || status === 429) return { kind: 'throttled', code, message };
  if (NOT_FOUND.test(code) || status === 404) return { kind: 'not-found', code, message };
  if ((nodeCode && NETWORK.has(nodeCode)) || NETWORK.has(code)) return { kind: 'unreachable', code: nodeCode ?? code, message };
  return { kind: 'other', code, message };
}

/** What to do about a problem, in a sentence (the action named is the one refused, when it is a refusal; the profile, the one in use). */
export function remedy(problem: AwsProblem, action?: string, profile?: string): string {
  switch (problem.kind) {
    case 'no-credentials':
      return 'give credentials: --profile <name> (or AWS_PROFILE) for a shared-config or SSO profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
    case 'sso-expired':
      return `sign in again: aws sso login${profile ? ` --profile ${profile}` : ' (with --profile <name>, or AWS_PROFILE set)'}`;
    case 'bad-credentials':
      return 'refresh the credentials (an expired session token, a deleted key): sign in again or export new ones';
    case 'denied':
      return action ? `allow ${action} (README.md, "Your AWS account", lists the read-only policy)` : 'allow the read-only actions README.md lists ("Your AWS account")';
    case 'throttled':
      return 'AWS throttled the call even after retries: run again in a minute';
    case 'unreachable':
      return 'check the network, the region and AWS_ENDPOINT_URL';
    default:
      return 'see what AWS said';
  }
}
