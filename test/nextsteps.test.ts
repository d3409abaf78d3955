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
});
