import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_VARIABLES } from '../stacks/settings';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const help = readFileSync(join(root, 'help'), 'utf8');

describe('documentation', () => {
  it.each(SETTING_VARIABLES)('documents %s in README.md and help', (name) => {
    // A setting row in the README table, and a line of its own in help.
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${name}\`[^|]*\\|`));
    expect(help).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  it('names in help only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const named = [...help.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const script of named) expect(scripts).toContain(script);
  });
});
