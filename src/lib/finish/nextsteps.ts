// What to do after a run: review, plan and apply the example, the API key, the
// migration. Plain text built from the answers; the generator prints it.
import { relative } from 'node:path';
import type { Answers } from '../inputs/catalogue.js';

export function nextSteps(target: string, cwd: string, answers: Answers, committed: boolean): string {
  const dir = relative(cwd, target) || '.';
  const inDir = (sub: string): string => (dir === '.' ? sub : `${dir}/${sub}`);
  const apiKey = answers.enable_api_gateway !== false && answers.api_basic_auth !== false;
  const logging = answers.enable_api_gateway !== false && answers.enable_api_gateway_logging === true;
  return [
    'Next steps',
    `  1. Review what was written: ${committed ? `cd ${dir} && git show --stat` : `${inDir('README.md')} explains every file`}`,
    '     (the choices worth a second look are listed in README.md).',
    ...(logging
      ? [
          '     API Gateway logging is on: before the first apply, check that the region has an API Gateway',
          `     CloudWatch role: aws apigateway get-account --region ${String(answers.aws_region)} --query cloudwatchRoleArn (README.md, "API Gateway logging").`,
        ]
      : []),
    '  2. Give examples/complete remote state (README.md, "State and the lock file"), then plan and apply:',
    `       cd ${inDir('examples/complete')}`,
    '       terraform init && terraform plan -out tfplan && terraform apply tfplan',
    answers.enable_api_gateway === false
      ? '  3. Point Metaflow at it from inside the VPC (the API is not published): terraform output -json metaflow_profile (its URL is the internal load balancer\'s).'
      : apiKey
        ? '  3. Point Metaflow at it: terraform output -json metaflow_profile, and the API key from terraform output -raw api_key_value (METAFLOW_SERVICE_AUTH_KEY).'
        : Array.isArray(answers.access_list_cidr_blocks) && answers.access_list_cidr_blocks.length > 0
          ? '  3. Point Metaflow at it: terraform output -json metaflow_profile (no API key: only callers in access_list_cidr_blocks reach it).'
          : '  3. Point Metaflow at it: terraform output -json metaflow_profile (no API key and no access list: anyone on the internet can call it, as allow_open_api accepts).',
    '  4. Database schema: apply creates it, and upgrades it before the service moves to a new image.',
    '     Snapshot the database before you change the image (README.md, "Upgrading to a new image").',
  ].join('\n');
}
