// Loaded first in every test process (package.json: --import): AWS stays on
// this machine. No instance metadata service (169.254.169.254 is not ours to
// call), none of the developer's profiles, keys, region or endpoints: a test
// that wants AWS starts its fake endpoint (test/fake-aws.ts) and says so in the
// environment it gives. Child processes (the bin) inherit this environment.
import { join } from 'node:path';
import { tmpdir } from 'node:os';

for (const name of Object.keys(process.env)) {
  if (/^AWS_/.test(name)) delete process.env[name];
}
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(tmpdir(), 'mfmd-no-aws-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'mfmd-no-aws-credentials');
