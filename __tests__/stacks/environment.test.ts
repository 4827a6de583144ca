import { FUNCTION_NAMES, MAX_SUFFIX_LENGTH } from '../../stacks/settings';
import { IAM_NAME_MAX, iamBaseName, iamName, regionCode } from '../../stacks/environment';
import { resourcesOf, synthStack } from '../helpers/stack';

const BASES = [...FUNCTION_NAMES, 'flowlogs', 'config-recorder'];
const LONG_SUFFIX = 'a'.repeat(MAX_SUFFIX_LENGTH);

describe('IAM names (global to the account)', () => {
  it('carry the product prefix, the base, the region and the suffix', () => {
    expect(iamName('scanner', 'us-east-1', 'dev')).toBe('compliance-scanner-us-east-1-dev');
    expect(iamBaseName('compliance-scanner-us-east-1-dev', 'us-east-1', 'dev')).toBe('scanner');
    expect(iamBaseName('scanner-dev', 'us-east-1', 'dev')).toBeUndefined();
    // Past 64 characters: the region's short code, then a cut base with a hash.
    expect(iamName('flowlogs', 'ap-southeast-5', LONG_SUFFIX)).toBe(
      `compliance-flowlogs-apse5-${LONG_SUFFIX}`,
    );
    expect(
      iamBaseName(`compliance-flowlogs-apse5-${LONG_SUFFIX}`, 'ap-southeast-5', LONG_SUFFIX),
    ).toBe('flowlogs');
    expect(iamName('config-rule-lambda-settings', 'ap-southeast-5', LONG_SUFFIX)).toMatch(
      new RegExp(`^compliance-config-[0-9a-f]{6}-apse5-${LONG_SUFFIX}$`),
    );
  });

  it('differ between regions and suffixes, so a second deployment does not collide', () => {
    const names = new Set(
      ['us-east-1', 'eu-west-1'].flatMap((region) =>
        ['dev', 'prod', LONG_SUFFIX].flatMap((suffix) =>
          BASES.map((base) => iamName(base, region, suffix)),
        ),
      ),
    );
    expect(names.size).toBe(2 * 3 * BASES.length);
  });

  it(`stay within IAM's ${IAM_NAME_MAX} characters at the longest suffix and a long region, keeping region and suffix`, () => {
    for (const region of ['us-east-1', 'ap-southeast-5', 'us-gov-west-1']) {
      for (const base of BASES) {
        const name = iamName(base, region, LONG_SUFFIX);
        expect([name, name.length <= IAM_NAME_MAX]).toEqual([name, true]);
        expect(name.startsWith('compliance-')).toBe(true);
        expect(name.endsWith(`-${LONG_SUFFIX}`)).toBe(true);
        expect([`-${region}-`, `-${regionCode(region)}-`].some((r) => name.includes(r))).toBe(true);
        expect(name).toMatch(/^[\w+=,.@-]+$/);
      }
    }
  });

  it('names every role and policy of the stack this way in each region', () => {
    const east = synthStack({ configRecorderMode: 'create' }).tf;
    const west = synthStack({ configRecorderMode: 'create', region: 'eu-west-1' }).tf;
    const names = (tf: typeof east, type: string): string[] =>
      resourcesOf(tf, type).map((r) => String(r.config.name));
    for (const type of ['aws_iam_role', 'aws_iam_policy']) {
      expect(names(east, type).every((n) => /^compliance-.+-us-east-1-test$/.test(n))).toBe(true);
      expect(names(west, type).every((n) => /^compliance-.+-eu-west-1-test$/.test(n))).toBe(true);
      expect(names(east, type).filter((n) => names(west, type).includes(n))).toEqual([]);
    }
  });
});
