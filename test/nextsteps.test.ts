// What the generator prints after a run: the steps follow the answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSteps } from '../src/lib/finish/nextsteps.js';
import { variant } from './helpers.js';

describe('next steps', () => {
  const steps = (changes = {}) => nextSteps('/home/me/mymod', '/home/me', variant(changes), true);
  it('with API Gateway logging on, say to check the region\'s API Gateway CloudWatch role before the first apply', () => {
    const logging = steps({ enable_api_gateway_logging: true });
    assert.ok(logging.includes('aws apigateway get-account --region us-east-1 --query cloudwatchRoleArn'), logging);
    assert.ok(logging.indexOf('get-account') < logging.indexOf('terraform apply'), 'before the apply step');
    for (const quiet of [steps(), steps({ enable_api_gateway_logging: true, enable_api_gateway: false, api_basic_auth: false, access_list_cidr_blocks: [] })]) {
      assert.ok(!quiet.includes('get-account'), quiet);
    }
  });
  it('step 3 follows how the API is reached: API key, access list alone, open, or private to the VPC (no access list or key mentioned)', () => {
    const step3 = (changes = {}) => steps(changes).split('\n').find((line) => line.startsWith('  3.'))!;
    assert.match(step3(), /terraform output -raw api_key_value/);
    assert.match(step3({ api_basic_auth: false }), /only callers in access_list_cidr_blocks/);
    assert.match(step3({ api_basic_auth: false, access_list_cidr_blocks: [], allow_open_api: true }), /anyone on the internet/);
    const internal = step3({ enable_api_gateway: false });
    assert.match(internal, /from inside the VPC/);
    assert.doesNotMatch(internal, /access list|access_list|API key|api_key/);
  });
});
