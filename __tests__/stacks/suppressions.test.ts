/**
 * The suppressions file: validated at synth (a bad entry stops synth, naming it), uploaded as
 * suppressions/suppressions.json with its content in the plan.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { resolveSettings } from '../../stacks/settings';
import { loadSuppressionsFile } from '../../stacks/suppressions';
import { synthStack } from '../helpers/stack';

const TODAY = new Date();
const day = (offsetDays: number) =>
  new Date(TODAY.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'suppressions-')), name);
  writeFileSync(path, text);
  return path;
}

const GOOD = `suppressions:
  - id: legacy-logs
    checks: [S3.14]
    resource: arn:aws:s3:::legacy-logs-*
    reason: Write-once archive
    owner: jane@example.com
    expires: ${day(30)}
`;

describe('suppressions file', () => {
  it('uploads the validated entries as JSON the plan shows, encrypted with the data key', () => {
    const { tf } = synthStack({ suppressionsFile: file('s.yaml', GOOD) });
    const objects = Object.values(
      (tf.resource as Record<string, Record<string, Record<string, unknown>>>)[
        S3Object.tfResourceType
      ] ?? {},
    );
    expect(objects).toHaveLength(1);
    const object = objects[0]!;
    expect(object).toMatchObject({
      key: 'suppressions/suppressions.json',
      content_type: 'application/json',
      server_side_encryption: 'aws:kms',
      bucket_key_enabled: true,
    });
    expect(String(object.kms_key_id)).toContain('aws_kms_key.keys_data');
    expect(JSON.parse(object.content as string).suppressions).toEqual([
      {
        id: 'legacy-logs',
        checks: ['S3.14'],
        resource: 'arn:aws:s3:::legacy-logs-*',
        reason: 'Write-once archive',
        owner: 'jane@example.com',
        expires: day(30),
      },
    ]);
  });

  it('stops synth on an invalid entry, naming the setting, the file and the entry', () => {
    const path = file('bad.yaml', GOOD.replace('S3.14', 'S3.99').replace(day(30), day(400)));
    expect(() => resolveSettings({ environmentSuffix: 'dev', suppressionsFile: path })).toThrow(
      `SUPPRESSIONS_FILE ${path}: entry "legacy-logs": checks: no such check S3.99; expires: ${day(400)} is more than one year ahead`,
    );
  });

  it('reads JSON too, treats a missing default file as none, and refuses a missing named file', () => {
    const json = file('s.json', JSON.stringify({ suppressions: [] }));
    expect(loadSuppressionsFile(json, TODAY).problems).toEqual([]);
    expect(loadSuppressionsFile(undefined, TODAY).problems).toEqual([]);
    expect(loadSuppressionsFile('nope.yaml', TODAY).problems).toEqual([
      'the file nope.yaml does not exist',
    ]);
    expect(loadSuppressionsFile(file('s.yaml', 'suppressions: [\n'), TODAY).problems[0]).toMatch(
      /cannot be parsed/,
    );
  });

  it('refuses an unknown SECURITY_HUB_EXPORT value', () => {
    expect(() =>
      resolveSettings({ environmentSuffix: 'dev', securityHubExport: 'yes' as never }),
    ).toThrow('SECURITY_HUB_EXPORT "yes": use one of off | on');
  });
});
