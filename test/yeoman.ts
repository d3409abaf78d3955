// yeoman-test's helpers, made to work on Node 23 and later.
//
// yeoman-test 11.8.2 (the latest) builds every run's prompts on @yeoman/adapter
// 5.0.0's TestAdapter, which gives its never-used prompt output as
// `Duplex.from(async () => {})`. Since Node 23 (nodejs/node#55096) a duplex
// made from a function that returns without reading destroys itself at once
// with an AbortError; nothing listens on that duplex, so the error ends the
// test process ("AbortError: The operation was aborted" in streams/duplexify).
// These helpers build the same TestAdapter, listening on the duplexes it makes
// in its constructor: nothing is written to or read from them either way.
import { Duplex } from 'node:stream';
import { TestAdapter, createHelpers, type YeomanTest } from 'yeoman-test';

const ignore = (): void => {};

export const helpers: YeomanTest = createHelpers({
  createTestAdapter(this: YeomanTest, options?: ConstructorParameters<typeof TestAdapter>[0]): TestAdapter {
    const from = Duplex.from;
    Duplex.from = ((body: Parameters<typeof Duplex.from>[0]) => from(body).on('error', ignore)) as typeof Duplex.from;
    try {
      return new TestAdapter({ ...this.adapterOptions, ...options });
    } finally {
      Duplex.from = from;
    }
  },
});

export { result } from 'yeoman-test';
