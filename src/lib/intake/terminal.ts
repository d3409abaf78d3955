// The bin's questions, asked at the terminal with inquirer's prompts
// (@inquirer/input, confirm, select and search), loaded at the first question:
// unattended runs load none of them. The questions are prompts.ts's, in the
// shape Yeoman's adapter takes too: asked in order, each only when its `when`
// says so, with a default computed from the answers so far, validated as typed
// (a refusal names the field and the prompt stays), then filtered.
import type { Question } from './prompts.js';

/** Where the prompts read and write (default: stdin and stdout), and what cancels them. */
export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export type Ask = (questions: readonly Question[]) => Promise<Record<string, unknown>>;

/** An `ask` for lib/run.ts that asks at a terminal. Ctrl-C rejects with inquirer's ExitPromptError. */
export function askAtTerminal(context: PromptContext = {}): Ask {
  return async (questions) => {
    const [{ default: input }, { default: confirm }, { default: select }, { default: search }] = await Promise.all([
      import('@inquirer/input'),
      import('@inquirer/confirm'),
      import('@inquirer/select'),
      import('@inquirer/search'),
    ]);
    const session: Record<string, unknown> = {};
    for (const question of questions) {
      if (!question.when(session)) continue;
      const { message } = question;
      const fallback = typeof question.default === 'function' ? question.default(session) : question.default;
      let raw: unknown;
      if (question.type === 'confirm') {
        raw = await confirm({ message, default: typeof fallback === 'boolean' ? fallback : undefined }, context);
      } else if (question.type === 'search') {
        const validate = question.validate;
        const source = question.source ?? (() => question.choices ?? []);
        raw = await search({ message, source, default: typeof fallback === 'string' ? fallback : undefined, validate: validate && ((value: string) => validate(value, session)) }, context);
      } else if (question.type === 'select') {
        raw = await select({ message, choices: question.choices ?? [], default: typeof fallback === 'string' ? fallback : undefined }, context);
      } else {
        const validate = question.validate;
        raw = await input({ message, default: typeof fallback === 'string' ? fallback : undefined, validate: validate && ((text: string) => validate(text, session)) }, context);
      }
      session[question.name] = question.filter ? question.filter(raw) : raw;
    }
    return session;
  };
}
