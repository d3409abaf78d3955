// Runs the minimal generator through yeoman-environment, as a Yeoman bin would:
// node bench/minimal/run.js <directory>
import { fileURLToPath } from 'node:url';
import { createEnv } from 'yeoman-environment';

const env = createEnv({ cwd: process.argv[2] ?? process.cwd() });
env.register(fileURLToPath(new URL('./generators/app/index.js', import.meta.url)), { namespace: 'minimal:app' });
await env.run(['minimal:app'], { skipInstall: true });
