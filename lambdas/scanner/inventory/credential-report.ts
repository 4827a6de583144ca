/**
 * The IAM credential report: generated (polled until COMPLETE, with a bounded wait), fetched once
 * per run, and parsed from CSV. IAM writes `N/A` (never used / no such credential),
 * `no_information` (usage not tracked, before Oct 2014) and `not_supported` (root password
 * fields); all three become `null` dates, and the raw value is kept where it matters.
 *
 * IAM actions — resource `*` (account-wide report):
 * - `iam:GenerateCredentialReport`, `iam:GetCredentialReport`
 */
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { CredentialReportKey, CredentialReportRow } from './types';

/** GenerateCredentialReport calls before giving up (the first one included). */
export const DEFAULT_REPORT_POLLS = 15;
/** Wait between polls; IAM usually completes a report within seconds. */
export const DEFAULT_REPORT_POLL_INTERVAL_MS = 2_000;

export interface CredentialReportOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly maxPolls?: number;
  readonly pollIntervalMs?: number;
}

/** Thrown when the report is still being generated after the bounded wait. */
export class CredentialReportNotReadyError extends Error {
  constructor(polls: number, state: string | undefined) {
    super(
      `Credential report not COMPLETE after ${polls} GenerateCredentialReport calls (state ${state ?? 'unknown'})`,
    );
    this.name = 'CredentialReportNotReady';
  }
}

/** Polls GenerateCredentialReport until the report is COMPLETE (bounded). */
export async function generateCredentialReport(
  iam: IAMClient,
  options: CredentialReportOptions,
): Promise<void> {
  const maxPolls = options.maxPolls ?? DEFAULT_REPORT_POLLS;
  let state: string | undefined;
  for (let poll = 1; poll <= maxPolls; poll += 1) {
    const out = await iam.send(new GenerateCredentialReportCommand({}));
    state = out.State;
    if (state === 'COMPLETE') return;
    if (poll < maxPolls)
      await options.sleep(options.pollIntervalMs ?? DEFAULT_REPORT_POLL_INTERVAL_MS);
  }
  throw new CredentialReportNotReadyError(maxPolls, state);
}

/** GetCredentialReport once; returns the CSV text. */
export async function getCredentialReport(iam: IAMClient): Promise<string> {
  const out = await iam.send(new GetCredentialReportCommand({}));
  if (!out.Content) throw new Error('GetCredentialReport returned no content');
  return Buffer.from(out.Content).toString('utf-8');
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** A report date, or `null` for `N/A`, `no_information`, `not_supported` and empty fields. */
export function reportDate(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === '' || v === 'N/A' || v === 'no_information' || v === 'not_supported') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function reportBool(value: string | undefined): boolean | null {
  const v = value?.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

const REQUIRED_COLUMNS = ['user', 'arn', 'password_enabled', 'mfa_active'];

export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new Error('Credential report is empty');
  const col = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !col.has(c));
  if (missing.length > 0) {
    throw new Error(`Credential report lacks column(s): ${missing.join(', ')}`);
  }
  return rows.map((r) => {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? undefined : r[i];
    };
    const key = (n: 1 | 2): CredentialReportKey => ({
      active: reportBool(get(`access_key_${n}_active`)) === true,
      lastRotated: reportDate(get(`access_key_${n}_last_rotated`)),
      lastUsedDate: reportDate(get(`access_key_${n}_last_used_date`)),
    });
    return {
      user: get('user') ?? '',
      arn: get('arn') ?? '',
      userCreationTime: reportDate(get('user_creation_time')),
      passwordEnabled: reportBool(get('password_enabled')),
      passwordLastUsed: reportDate(get('password_last_used')),
      passwordLastUsedRaw: get('password_last_used')?.trim() ?? '',
      passwordLastChanged: reportDate(get('password_last_changed')),
      mfaActive: reportBool(get('mfa_active')) === true,
      accessKeys: [key(1), key(2)],
    };
  });
}
