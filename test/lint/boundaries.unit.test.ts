import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

// @ts-expect-error: a plain JavaScript config module, without types.
import { boundaries } from '../../eslint.boundaries.js';

const lint = (filename: string, source: string): string[] =>
  new Linter({ configType: 'flat' })
    .verify(source, boundaries as Linter.Config[], { filename })
    .map(({ message }) => message);

describe("the modules' boundaries (unit: ESLint's own Linter on eslint.boundaries.js)", () => {
  it('lets a module import a lower one through its entry', () => {
    expect(
      lint('src/adapter/pushEvent.ts', "import { withRetry } from '../shared/index.js';"),
    ).toEqual([]);
    expect(
      lint(
        'src/cli/commands/run.ts',
        "import { StreamRunner } from '../../streamRunner/index.js';",
      ),
    ).toEqual([]);
    expect(
      lint('src/cli/commands/run.ts', "import { describeCliError } from '../cliError.js';"),
    ).toEqual([]);
  });

  it("refuses a deep import into another module's files", () => {
    expect(
      lint('src/adapter/pushEvent.ts', "import { withRetry } from '../shared/retry.js';"),
    ).toEqual([expect.stringMatching(/through its entry/)]);
    expect(
      lint('src/cli/commands/replay.ts', "import { x } from '../../streamRunner/replay.js';"),
    ).toEqual([expect.stringMatching(/through its entry/)]);
  });

  it('refuses an import of a higher layer, and of the CLI from anywhere', () => {
    expect(
      lint('src/adapter/pushEvent.ts', "import { counter } from '../counterProjection/index.js';"),
    ).toEqual([expect.stringMatching(/src\/adapter may not import src\/counterProjection/)]);
    expect(lint('src/streamRunner/replay.ts', "import { main } from '../cli/index.js';")).toEqual([
      expect.stringMatching(/may not import src\/cli/),
    ]);
  });

  it('keeps the stream runner generic and the batch shell below every handler', () => {
    expect(
      lint(
        'src/streamRunner/progress.ts',
        "import { recordFates } from '../counterProjection/index.js';",
      ),
    ).toEqual([expect.stringMatching(/src\/streamRunner may not import src\/counterProjection/)]);
    expect(
      lint(
        'src/streamBatch/answerLambda.ts',
        "import { counter } from '../counterProjection/index.js';",
      ),
    ).toEqual([expect.stringMatching(/src\/streamBatch may not import src\/counterProjection/)]);
    expect(
      lint(
        'src/counterReactions/counterReactions.ts',
        "import { answerLambda } from '../streamBatch/index.js';",
      ),
    ).toEqual([]);
  });
});
