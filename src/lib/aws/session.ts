// The door lib/run.ts opens to the AWS room, lazily (a dynamic import): only
// runs at a terminal and --preflight load it, and with it the AWS SDK.
//
//   runPreflight   --preflight: the answers checked against the account; exit 1 on a blocking finding
//   checkAnswers   the same check, for the offer at the end of a run at a terminal (discovery.ts,
//                  the room's other door: choices read from the account at the prompts)
import type { Answers } from '../inputs/catalogue.js';
import type { Terminal } from '../run.js';
import { Aws, type Identity } from './clients.js';
import { describeFindings, preflight, tally } from './preflight.js';


/** Blocking findings: terraform apply would fail (exit 1; the findings are printed already). */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export interface AwsRunContext {
  /** The run's options by name: profile, read-secret, discover. */
  options: Readonly<Record<string, string | boolean>>;
  terminal: Terminal;
  /** Whether questions may be asked (the consent to read the secret's value). */
  interactive: boolean;
  /** More SDK client configuration (tests: a retry strategy without delays). */
  clientConfig?: Record<string, unknown>;
}

export const awsFor = (answers: Answers, context: AwsRunContext): Aws =>
  new Aws({ region: String(answers.aws_region), profile: typeof context.options.profile === 'string' ? context.options.profile : undefined, clientConfig: context.clientConfig });

/** The consent to read the secret's value: --read-secret (or --no-read-secret), else asked once at a terminal, else no. */
export function secretConsent(context: AwsRunContext): () => Promise<boolean> {
  let answer: Promise<boolean> | undefined;
  return () => {
    answer ??= (async () => {
      const flag = context.options['read-secret'];
      if (typeof flag === 'boolean') return flag;
      if (!context.interactive) return false;
      const { read } = await context.terminal.ask([
        { type: 'confirm', name: 'read', message: "Read the password secret's value to check its JSON key? (only the key names are kept; nothing is printed or stored)", default: false, when: () => true },
      ]);
      return read === true;
    })();
    return answer;
  };
}

/** Check the answers against the account and print the findings; throws PreflightError when one blocks. */
export async function checkAnswers(answers: Answers, aws: Aws, context: AwsRunContext, identity?: Identity): Promise<void> {
  const { terminal } = context;
  let who = identity;
  if (!who) {
    const found = await aws.identity();
    if (found.ok) who = found.value;
  }
  terminal.log(`Preflight: the answers checked against ${who ? `AWS account ${who.account} (${who.arn})` : 'AWS'} in ${aws.region}, read-only`);
  const findings = await preflight(answers, aws, { readSecret: secretConsent(context), identity: who });
  for (const line of describeFindings(findings)) terminal.log(line);
  const counts = tally(findings);
  const summary = `${counts.ok} ok, ${counts.blocking} blocking, ${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'}, ${counts.skipped} skipped`;
  if (findings.some((finding) => finding.answer === '(credentials)')) throw new PreflightError('preflight: no answer was checked: AWS did not accept the credentials (above).');
  if (counts.blocking > 0) {
    throw new PreflightError(`preflight: ${summary}: terraform apply would fail. Fix the answers marked BLOCKING (a flag, the answers file, or a re-run at the terminal), then run --preflight again.`);
  }
  terminal.log(`preflight: ${summary}${counts.skipped + counts.warning > 0 ? ': nothing blocks, but read the warnings and skipped checks' : ': nothing blocks'}.`);
}

/** --preflight: nothing written, nothing changed in AWS. */
export async function runPreflight(answers: Answers, context: AwsRunContext): Promise<void> {
  const aws = awsFor(answers, context);
  try {
    await checkAnswers(answers, aws, context);
  } finally {
    await aws.close();
  }
}
