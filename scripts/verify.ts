// npm run verify -- <dir> [<dir> ...]
// Checks a generated Terraform tree against the aws provider 6 schema (what
// terraform with the local 5.100 provider cannot check); prints each finding
// as file:line: [check] message, then one summary line. Exits 1 on any finding.
import { summaryLine, verify } from '../src/verify/verify.js';

const dirs = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (dirs.length === 0) {
  process.stderr.write('usage: npm run verify -- <dir> [<dir> ...]\n');
  process.exit(2);
}
let failed = false;
for (const dir of dirs) {
  try {
    const report = await verify(dir);
    for (const f of report.findings) process.stdout.write(`${dir}/${f.file}:${f.line}: [${f.check}] ${f.message}\n`);
    process.stdout.write(`${summaryLine(dir, report)}\n`);
    if (report.findings.length > 0) failed = true;
  } catch (error) {
    process.stderr.write(`verify ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
