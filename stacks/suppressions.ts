/**
 * Suppressions: the reviewed file in this repository (SUPPRESSIONS_FILE, YAML or JSON) is read and
 * validated at synth, and uploaded to the audit bucket as suppressions/suppressions.json, so every
 * suppression goes through a pull request and `terraform plan` shows it. The scanner applies it
 * (lambdas/shared/suppressions.ts explains the rules).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { CHECKS } from '../lambdas/scanner/checks/registry';
import { SUPPRESSIONS_KEY } from '../lambdas/shared/store';
import {
  validateSuppressions,
  type SuppressionEntry,
  type SuppressionsDocument,
} from '../lambdas/shared/suppressions';

/** Read from the project root when SUPPRESSIONS_FILE is not set; absent means no suppressions. */
export const DEFAULT_SUPPRESSIONS_FILE = 'suppressions.yaml';

export interface LoadedSuppressions {
  /** The file as given (relative paths are read from the working directory). */
  readonly file: string;
  readonly entries: readonly SuppressionEntry[];
  /** Ids of entries already expired at synth: they alert their owner at every scan. */
  readonly expired: readonly string[];
}

/**
 * Reads and validates the suppressions file. A missing default file means none; a file named by
 * SUPPRESSIONS_FILE must exist. Problems name the file and the entry.
 */
export function loadSuppressionsFile(
  file: string | undefined,
  today: Date,
): { loaded: LoadedSuppressions; problems: string[] } {
  const path = file ?? DEFAULT_SUPPRESSIONS_FILE;
  const empty = { loaded: { file: path, entries: [], expired: [] }, problems: [] as string[] };
  const full = resolve(process.cwd(), path);
  if (!existsSync(full)) {
    if (file === undefined) return empty;
    return { ...empty, problems: [`the file ${path} does not exist`] };
  }
  if (!/\.(ya?ml|json)$/i.test(path)) {
    return { ...empty, problems: [`${path}: use a .yaml, .yml or .json file`] };
  }
  let doc: unknown;
  try {
    const text = readFileSync(full, 'utf8');
    doc = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return { ...empty, problems: [`${path} cannot be parsed: ${(err as Error).message}`] };
  }
  // An empty YAML file (or one holding only comments) parses as null: no suppressions.
  if (doc === null || doc === undefined) return empty;
  const knownChecks = new Set(CHECKS.map((c) => c.id));
  const { entries, problems, expired } = validateSuppressions(doc, { today, knownChecks });
  return {
    loaded: { file: path, entries, expired },
    problems: problems.map((p) => `${path}: ${p}`),
  };
}

/** The uploaded object's content: stable JSON, so an unchanged file plans no change. */
export function suppressionsDocument(loaded: LoadedSuppressions): string {
  const doc: SuppressionsDocument = { source: loaded.file, suppressions: loaded.entries };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface SuppressionsObjectProps {
  readonly bucket: string;
  readonly dataKeyArn: string;
  readonly suppressions: LoadedSuppressions;
}

export class SuppressionsObject extends Construct {
  readonly object: S3Object;

  constructor(scope: Construct, id: string, props: SuppressionsObjectProps) {
    super(scope, id);
    const { suppressions } = props;
    this.object = new S3Object(this, 'object', {
      bucket: props.bucket,
      key: SUPPRESSIONS_KEY,
      // `content`, not a file source: the plan shows every suppression that changes.
      content: suppressionsDocument(suppressions),
      contentType: 'application/json',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: props.dataKeyArn,
      bucketKeyEnabled: true,
    });
    for (const id of suppressions.expired) {
      Annotations.of(this).addWarning(
        `${suppressions.file}: suppression "${id}" has expired; it no longer suppresses and alerts its owner at every scan until it is renewed or removed`,
      );
    }
  }
}
