/** After `cdktf synth --hcl` (cdk.tf, no cdk.tf.json) validate and review say how to get the JSON back. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReview } from '../../scripts/review';
import { main as validate } from '../../scripts/validate';

function hclSynth(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hcl-synth-'));
  mkdirSync(join(folder, 'stacks', 'compliance-audit'), { recursive: true });
  writeFileSync(join(folder, 'stacks', 'compliance-audit', 'cdk.tf'), 'terraform {}\n');
  return folder;
}

const howTo = (folder: string, tool: string): string =>
  `${join(folder, 'stacks', 'compliance-audit', 'cdk.tf')} is HCL (from \`cdktf synth --hcl\`); ${tool} reads the JSON synth. Run \`npx cdktf synth\` (without --hcl) to write cdk.tf.json again, then run ${tool} again.`;

describe('an HCL synth', () => {
  it('makes validate (without terraform) name the file and the command that writes the JSON again', async () => {
    const folder = hclSynth();
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => errors.push(m));
    try {
      expect(await validate([folder, '--no-terraform'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([howTo(folder, 'npm run validate')]);
  });

  it('makes review say the same', () => {
    const folder = hclSynth();
    expect(() => writeReview(folder)).toThrow(howTo(folder, 'npm run review'));
  });
});
