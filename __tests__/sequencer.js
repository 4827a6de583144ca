/**
 * Jest's order, with the terraform tests last: they keep a core busy with terraform and the aws
 * provider for minutes, and the rest of the suite (some of it CPU-sensitive) runs faster first.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Files that run real terraform (scripts/offline-terraform.ts). */
const TERRAFORM =
  /[\\/]__tests__[\\/](terraform([\\/]|\.test\.ts$)|scripts[\\/]offline-terraform\.test\.ts$)/;

class TerraformLast extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [
      ...sorted.filter((t) => !TERRAFORM.test(t.path)),
      ...sorted.filter((t) => TERRAFORM.test(t.path)),
    ];
  }
}

module.exports = TerraformLast;
