// The modules of src and what each may import: another module only through its entry
// (index.ts), and only a module below it. Data flows adapter -> imageParser -> streamBatch
// (the shell any batch handler shares) -> counterProjection -> counterReactions; the
// stream runner, the example, the CLI and the package's entries sit on top; nothing
// imports the CLI. shared is the kernel under all.
const MAY_IMPORT = {
  shared: [],
  adapter: ['shared'],
  imageParser: ['shared', 'adapter'],
  streamBatch: ['shared', 'imageParser'],
  counterProjection: ['shared', 'adapter', 'imageParser', 'streamBatch'],
  counterReactions: ['shared', 'adapter', 'imageParser', 'streamBatch', 'counterProjection'],
  // A consumer's checkpoint table: no Streams client needed.
  checkpoints: ['shared', 'imageParser', 'streamBatch'],
  // A generic event source mapping: it knows the batch contract, not what a handler does.
  streamRunner: ['shared', 'imageParser', 'streamBatch', 'checkpoints'],
  dynamoDBLocal: ['shared'],
  // Helpers for users' tests: on top of what they test.
  testing: [
    'shared',
    'adapter',
    'imageParser',
    'streamBatch',
    'counterProjection',
    'checkpoints',
    'dynamoDBLocal',
  ],
  example: ['shared', 'adapter', 'counterProjection', 'counterReactions'],
  cli: [
    'shared',
    'adapter',
    'imageParser',
    'streamBatch',
    'counterProjection',
    'counterReactions',
    'checkpoints',
    'streamRunner',
    'dynamoDBLocal',
    'example',
  ],
  entries: [
    'shared',
    'adapter',
    'imageParser',
    'streamBatch',
    'counterProjection',
    'counterReactions',
    'checkpoints',
    'streamRunner',
    'testing',
  ],
};
const MODULES = Object.keys(MAY_IMPORT);

/** From a module's folder or a subfolder of it: '../X/…' and '../../X/…'. */
const paths = (module, rest) => [`../${module}/${rest}`, `../../${module}/${rest}`];

export const boundaries = MODULES.map((module) => ({
  files: [`src/${module}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: MAY_IMPORT[module].flatMap((other) => [
              ...paths(other, '*'),
              ...paths(other, 'index.js').map((path) => `!${path}`),
            ]),
            message: 'Import another module through its entry (its index.js), not its files.',
          },
          ...MODULES.filter((other) => other !== module && !MAY_IMPORT[module].includes(other)).map(
            (other) => ({
              group: paths(other, '*'),
              message: `src/${module} may not import src/${other}: see eslint.boundaries.js for the layers.`,
            }),
          ),
        ].filter(({ group }) => group.length > 0),
      },
    ],
  },
}));
