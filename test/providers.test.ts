// Where the real-Terraform tests find the aws provider (test/providers.ts): a
// mirror Terraform would use by itself, in either of its layouts, else the
// registry, else a reason to skip.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findProviders, holdsAws, impliedDirectories } from './providers.js';
import { tempDir } from './helpers.js';

const root = tempDir('providers-');
after(() => rmSync(root, { recursive: true, force: true }));
const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

function mirror(name: string, layout: 'unpacked' | 'packed', version: string): string {
  const dir = join(root, name);
  const aws = join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  if (layout === 'unpacked') {
    mkdirSync(join(aws, version, platform), { recursive: true });
    writeFileSync(join(aws, version, platform, `terraform-provider-aws_v${version}_x5`), '');
  } else {
    mkdirSync(aws, { recursive: true });
    writeFileSync(join(aws, `terraform-provider-aws_${version}_${platform}.zip`), '');
  }
  return dir;
}

describe('finding the aws provider', () => {
  it('a mirror in either layout, with a version the module allows (>= 5.100, < 7)', () => {
    assert.ok(holdsAws(mirror('unpacked', 'unpacked', '5.100.0')));
    assert.ok(holdsAws(mirror('packed', 'packed', '6.20.0')));
    assert.ok(!holdsAws(mirror('old', 'unpacked', '5.99.1')));
    assert.ok(!holdsAws(mirror('seven', 'packed', '7.0.0')));
    assert.ok(!holdsAws(join(root, 'nothing')));
  });

  it("Terraform's own places: ~/.terraform.d/plugins, the XDG data directories, the plugin cache", async () => {
    const home = join(root, 'home');
    const env = { HOME: home, XDG_DATA_DIRS: join(root, 'share'), TF_PLUGIN_CACHE_DIR: join(root, 'cache') };
    assert.deepEqual(impliedDirectories(env).slice(1), [
      join(home, '.terraform.d', 'plugins'),
      join(home, '.local', 'share', 'terraform', 'plugins'),
      join(root, 'share', 'terraform', 'plugins'),
      join(root, 'cache'),
    ]);
    const dir = join(home, '.local', 'share', 'terraform', 'plugins', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', platform);
    mkdirSync(dir, { recursive: true });
    assert.deepEqual(await findProviders(env), { kind: 'mirror', dir: join(home, '.local', 'share', 'terraform', 'plugins') });
  });

  it('TF_PLUGIN_DIR that holds no usable provider is a reason, not a silent fall-back', async () => {
    const source = await findProviders({ TF_PLUGIN_DIR: join(root, 'old') });
    assert.equal(source.kind, 'none');
    assert.match(source.kind === 'none' ? source.why : '', /TF_PLUGIN_DIR=.*old holds no hashicorp\/aws >= 5\.100, < 7/);
  });
});
