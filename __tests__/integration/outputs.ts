/**
 * The deployment's outputs file (`cdktf output compliance-audit --outputs-file <file>`), in either
 * shape: nested under the stack id (`{"compliance-audit": {...}}`) or flat. Output names are the
 * ones stacks/compliance-stack.ts declares (vpc_id, audit_bucket_name, scanner_function_name …);
 * camelCase spellings of them are accepted too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEFAULT_OUTPUTS_FILE = 'cfn-outputs/flat-outputs.json';
export const STACK_ID = 'compliance-audit';

export function outputsPath(): string {
  return resolve(process.env.OUTPUTS_FILE || DEFAULT_OUTPUTS_FILE);
}

const normalize = (key: string): string => key.replace(/[-_]/g, '').toLowerCase();

export class Outputs {
  private readonly byKey: Map<string, unknown>;

  constructor(readonly raw: Readonly<Record<string, unknown>>) {
    this.byKey = new Map(Object.entries(raw).map(([k, v]) => [normalize(k), v]));
  }

  has(name: string): boolean {
    return this.byKey.has(normalize(name));
  }

  /** A string output; throws naming the output when it is missing. */
  string(name: string): string {
    const v = this.byKey.get(normalize(name));
    if (v === undefined || v === null || v === '')
      throw new Error(`Output ${name} is missing from ${outputsPath()}`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** A list output: a JSON array, a JSON-encoded array, or a comma-separated string. */
  list(name: string): string[] {
    const v = this.byKey.get(normalize(name));
    if (Array.isArray(v)) return v.map(String);
    const s = this.string(name);
    if (s.startsWith('[')) return (JSON.parse(s) as unknown[]).map(String);
    return s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }
}

/** The outputs, or why there are none. A file that exists but is not JSON is an error, not a skip. */
export function readOutputs(path = outputsPath()): { outputs?: Outputs; skip?: string } {
  if (!existsSync(path)) {
    return {
      skip: `no outputs file at ${path} (deploy, then run \`npx cdktf output ${STACK_ID} --outputs-file ${path}\`, or set OUTPUTS_FILE)`,
    };
  }
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const nested = json[STACK_ID];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(nested)) return { outputs: new Outputs(nested) };
  const values = Object.values(json);
  if (values.length === 1 && isObject(values[0]) && !('audit_bucket_name' in json))
    return { outputs: new Outputs(values[0]) };
  return { outputs: new Outputs(json) };
}

/** The region of an ARN. */
export function regionOf(arn: string): string {
  return arn.split(':')[3];
}
