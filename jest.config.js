/** Jest: SWC transform (type-checking is `tsc --noEmit` in `npm test`), one setup file. */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/integration/'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // p-limit and its queue ship ESM only; everything else in node_modules is CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(p-limit|yocto-queue)/)'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // Terraform tests last (__tests__/sequencer.js).
  testSequencer: '<rootDir>/__tests__/sequencer.js',
  // One worker per core (jest's default leaves one core to its mostly idle parent): on 2 cores
  // the suite takes about 30 s instead of 45 s (`npm run bench -- --only=tests`).
  maxWorkers: '100%',
};
