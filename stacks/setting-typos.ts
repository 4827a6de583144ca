/**
 * Mistyped settings. A variable that is not one of ours is ignored by everything, so
 * `REMEDIATON_MODE=enforce` would silently synthesize the default: instead, an environment
 * variable that looks like one of our settings (the same name in another case, a small edit
 * away, or under a prefix only our settings use) stops synth with "did you mean …?". Every
 * cdktf context key must be ours (or cdktf's own), since the context holds nothing else.
 * The known names are passed in (settings.ts's SETTING_VARIABLES), so a new setting needs no
 * second list here.
 */

/** Variables of other tools that share a prefix with our settings (Terraform, AWS CLI). */
const FOREIGN_VARIABLES = new Set([
  'TF_STATE_PERSIST_INTERVAL',
  'TF_CLOUD_PROJECT',
  'AWS_DEFAULT_OUTPUT',
]);

/** First words too common to claim as ours: under them only a longer prefix counts. */
const SHARED_FIRST_WORDS = new Set(['AWS', 'TF', 'LOG', 'CONFIG', 'ALLOWED', 'ENVIRONMENT']);
/** Shorter first words (TAG, VPC, SCAN) are left to the edit distance. */
const MIN_PREFIX_WORD = 5;

/** Context keys cdktf itself sets or reads (cdktfRelativeModules, @cdktf/… feature flags). */
const CDKTF_CONTEXT_KEY =
  /^(cdktf|@cdktf\/)|^(excludeStackIdFromLogicalIds|allowSepCharsInLogicalIds)$/;

/** Optimal string alignment distance: edits, with a swap of neighbours counted as one. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The prefix a setting claims: its first word, or its first two words when the first is shared. */
function claimedPrefix(name: string): string | undefined {
  const words = name.split('_');
  if (!SHARED_FIRST_WORDS.has(words[0]))
    return words[0].length >= MIN_PREFIX_WORD ? `${words[0]}_` : undefined;
  return words.length >= 3 && words[0] !== 'AWS' ? `${words[0]}_${words[1]}_` : undefined;
}

/** Our setting closest to `name`, with its distance (case-insensitive). */
function closest(name: string, known: readonly string[]): { name: string; distance: number } {
  const upper = name.toUpperCase();
  return known
    .map((k) => ({ name: k, distance: editDistance(upper, k) }))
    .reduce((best, c) => (c.distance < best.distance ? c : best));
}

/** The setting an environment variable was probably meant to be, or undefined when it is unrelated. */
export function intendedSetting(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name) || FOREIGN_VARIABLES.has(name)) return undefined;
  const best = closest(name, known);
  const allowed = best.name.length >= 10 ? 2 : 1;
  if (best.distance <= allowed) return best.name;
  const upper = name.toUpperCase();
  const sharing = known.filter((k) => {
    const prefix = claimedPrefix(k);
    return prefix !== undefined && upper.startsWith(prefix);
  });
  return sharing.length ? closest(name, sharing).name : undefined;
}

/**
 * One problem per environment variable that looks like a setting but is none, and per context
 * key that is not a setting (nor cdktf's own).
 */
export function unknownSettingProblems(
  known: readonly string[],
  envNames: readonly string[],
  contextKeys: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  for (const name of envNames) {
    const meant = intendedSetting(name, known);
    if (meant) problems.push(`${name}: not a setting (ignored); did you mean ${meant}?`);
  }
  for (const key of contextKeys) {
    if (known.includes(key) || CDKTF_CONTEXT_KEY.test(key)) continue;
    const meant = intendedSetting(key, known) ?? nearest(key, known);
    problems.push(
      `cdktf context key ${key}: not a setting${meant ? `; did you mean ${meant}?` : '; the settings are listed in README.md › Settings'}`,
    );
  }
  return problems;
}

/** A looser suggestion for context keys, which are always ours: within a third of the name. */
function nearest(key: string, known: readonly string[]): string | undefined {
  const best = closest(key, known);
  return best.distance <= Math.ceil(best.name.length / 3) ? best.name : undefined;
}
