/* global process */
/**
 * One temporary folder per test run: jest's global setup points TMPDIR (what os.tmpdir() reads,
 * in every worker and in the tools the tests start) at it, and the global teardown
 * (temp-dir-teardown.js) removes it, so no test leaves its synth folders, fake mirrors or
 * Terraform workspaces behind.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** Where the run's folder is named, for the teardown. */
const VARIABLE = 'COMPLIANCE_TEST_TMPDIR';

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'compliance-tests-'));
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
};
module.exports.VARIABLE = VARIABLE;
