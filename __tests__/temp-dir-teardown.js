/* global process */
/** Removes the run's temporary folder (temp-dir-setup.js). */
const { rmSync } = require('node:fs');
const { VARIABLE } = require('./temp-dir-setup');

module.exports = async () => {
  const dir = process.env[VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
};
