/* global process, console */
/**
 * Integration tests against a real deployment (`npm run test:integration`): they read the outputs
 * file (OUTPUTS_FILE, default cfn-outputs/flat-outputs.json) written by
 * `cdktf output compliance-audit --outputs-file <file>`. Without that file there is nothing to
 * test: print one line saying so and exit 0 before jest starts.
 */
const { existsSync } = require('node:fs');
const { resolve } = require('node:path');
const base = require('./jest.config.js');

const outputsFile = process.env.OUTPUTS_FILE || 'cfn-outputs/flat-outputs.json';
if (!existsSync(resolve(outputsFile))) {
  console.log(
    `Integration tests skipped: no outputs file at ${outputsFile} (deploy, then run \`npx cdktf output compliance-audit --outputs-file ${outputsFile}\`, or set OUTPUTS_FILE)`,
  );
  process.exit(0);
}

module.exports = {
  ...base,
  roots: ['<rootDir>/__tests__/integration'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60_000,
};
