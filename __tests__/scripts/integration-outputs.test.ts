import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOutputs } from '../integration/outputs';

function file(json: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'flat-outputs.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('readOutputs', () => {
  it('accepts the stack-nested shape and the flat one', () => {
    const values = {
      audit_bucket_name: 'b',
      config_rule_names: ['r1', 'r2'],
      scannerFunctionName: 'scanner-dev',
    };
    for (const json of [{ 'compliance-audit': values }, values]) {
      const { outputs } = readOutputs(file(json));
      expect(outputs!.string('audit_bucket_name')).toBe('b');
      expect(outputs!.list('config_rule_names')).toEqual(['r1', 'r2']);
      expect(outputs!.string('scanner_function_name')).toBe('scanner-dev');
    }
  });

  it('reads lists written as JSON strings or comma-separated values', () => {
    const { outputs } = readOutputs(file({ a: '["x","y"]', b: 'x, y' }));
    expect(outputs!.list('a')).toEqual(['x', 'y']);
    expect(outputs!.list('b')).toEqual(['x', 'y']);
    expect(() => outputs!.string('missing')).toThrow('Output missing is missing');
  });

  it('says why it skips when there is no file', () => {
    expect(readOutputs('/nonexistent/flat-outputs.json').skip).toMatch(
      /^no outputs file at \/nonexistent\/flat-outputs.json/,
    );
  });
});
