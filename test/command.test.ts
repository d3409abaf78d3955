// The bin's command line: parsing and help, without running anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENERATOR_OPTIONS, UsageError, booleanValue, helpText, parseCommandLine, wantsColour } from '../src/lib/intake/command.js';
import { INPUTS, flagName } from '../src/lib/inputs/catalogue.js';

describe('parseCommandLine', () => {
  it('takes the directory, string options and booleans in every spelling', () => {
    assert.deepEqual(parseCommandLine(['out', '--answers', 'a.json', '--skip-git', '--api-basic-auth', 'false', '--with-public-ip=yes', '--no-interactive']), {
      help: false,
      version: false,
      directory: 'out',
      options: { answers: 'a.json', 'skip-git': true, 'api-basic-auth': false, 'with-public-ip': true, interactive: false },
    });
    // A boolean followed by a word that is not a boolean leaves the word alone: it is the directory.
    assert.deepEqual(parseCommandLine(['--api-basic-auth', 'out']).directory, 'out');
    assert.deepEqual(parseCommandLine(['--api-basic-auth', 'out']).options, { 'api-basic-auth': true });
    // snake_case and camelCase spellings of an option; `--` ends the options.
    assert.deepEqual(parseCommandLine(['--resource_suffix', 'dev', '--skipGit', '--', '--odd-dir']), {
      help: false,
      version: false,
      directory: '--odd-dir',
      options: { 'resource-suffix': 'dev', 'skip-git': true },
    });
    assert.deepEqual(parseCommandLine(['--resource-suffix=-x']).options, { 'resource-suffix': '-x' });
  });

  it('--help and --version win over everything, mistakes included', () => {
    assert.equal(parseCommandLine(['--nope', 'a', 'b', '-h']).help, true);
    assert.equal(parseCommandLine(['-v']).version, true);
    assert.equal(parseCommandLine(['--', '--help']).help, false);
  });

  it('refuses what it does not know, saying why', () => {
    const refuses = (argv: string[], message: RegExp) => assert.throws(() => parseCommandLine(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    refuses(['--resource-sufix', 'dev'], /unknown option --resource-sufix; did you mean --resource-suffix\?/);
    refuses(['--bail'], /a Yeoman option that does nothing/);
    refuses(['a', 'b'], /too many arguments/);
    refuses(['--answers'], /--answers needs a value/);
    refuses(['--resource-suffix', '--skip-git'], /needs a value/);
    refuses(['--skip-git=maybe'], /takes true or false/);
    refuses(['--no-answers'], /unknown option --no-answers/);
    refuses(['--no-skip-git=1'], /takes no value/);
    refuses(['-x'], /unknown option -x/);
  });

  it('reads boolean words as users type them', () => {
    for (const word of ['true', 'yes', 'Y', '1', 'on', '']) assert.equal(booleanValue(word), true, word);
    for (const word of ['false', 'NO', 'n', '0', 'off']) assert.equal(booleanValue(word), false, word);
    assert.equal(booleanValue('maybe'), 'maybe');
  });
});

describe('helpText', () => {
  it('lists every generator option and input, within the width asked for', () => {
    const text = helpText('x [directory] [options]', 80);
    for (const spec of GENERATOR_OPTIONS) assert.ok(text.includes(`--${spec.name}`), spec.name);
    for (const input of INPUTS) assert.ok(text.includes(`--${flagName(input)}`), input.name);
    for (const line of text.split('\n')) assert.ok(line.length <= 80, `too wide: ${line}`);
  });
});

describe('colour', () => {
  it('FORCE_COLOR decides when set; otherwise a terminal that is not dumb, unless NO_COLOR', () => {
    assert.equal(wantsColour({}, true), true);
    assert.equal(wantsColour({}, false), false);
    assert.equal(wantsColour({ NO_COLOR: '1' }, true), false);
    assert.equal(wantsColour({ TERM: 'dumb' }, true), false);
    assert.equal(wantsColour({ FORCE_COLOR: '1', NO_COLOR: '1' }, false), true);
    assert.equal(wantsColour({ FORCE_COLOR: '0' }, true), false);
  });
});
