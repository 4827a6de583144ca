/**
 * ARN shapes as sequences of atoms, and whether two shapes can match the same ARN. A policy
 * resource (`arn:aws:s3:::bucket/*`, with IAM wildcards) and a resource type's ARN format
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) are both turned into atoms; the resource
 * "fits" the type when some ARN matches both.
 */

/** Characters a placeholder may not contain (`:` separates ARN fields, `/` path segments). */
export interface CharClass {
  readonly excludes: string;
}

export type Atom =
  | { readonly kind: 'literal'; readonly char: string }
  | { readonly kind: 'one'; readonly cls: CharClass }
  | { readonly kind: 'star'; readonly cls: CharClass };

export const ANY: CharClass = { excludes: '' };
export const NO_COLON: CharClass = { excludes: ':' };
export const SEGMENT: CharClass = { excludes: ':/' };

export const literal = (text: string): Atom[] =>
  [...text].map((char) => ({ kind: 'literal', char }) as const);
/** One or more characters of a class (a placeholder or an unknown Terraform value). */
export const plus = (cls: CharClass): Atom[] => [
  { kind: 'one', cls },
  { kind: 'star', cls },
];
export const star = (cls: CharClass = ANY): Atom[] => [{ kind: 'star', cls }];

/** IAM wildcards in policy text: `*` any run, `?` any one character. */
export function iamPattern(text: string): Atom[] {
  return [...text].flatMap((char): Atom[] =>
    char === '*' ? star() : char === '?' ? [{ kind: 'one', cls: ANY }] : literal(char),
  );
}

/**
 * Placeholders of iam-data ARN formats that may span path segments. StateMachineName: a
 * Distributed Map's child executions are `execution:<state machine>/<map label>:<id>`.
 */
const MULTI_SEGMENT = /Path|Object|LogGroupName|LogStreamName|Prefix|StateMachineName/;

/** Atoms of an ARN format such as `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`. */
export function formatAtoms(format: string): Atom[] {
  const atoms: Atom[] = [];
  const re = /\$\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    atoms.push(...literal(format.slice(last, m.index)));
    const name = m[1];
    atoms.push(
      ...plus(/ObjectName/.test(name) ? ANY : MULTI_SEGMENT.test(name) ? NO_COLON : SEGMENT),
    );
    last = m.index + m[0].length;
  }
  atoms.push(...literal(format.slice(last)));
  return atoms;
}

const allows = (cls: CharClass, char: string): boolean => !cls.excludes.includes(char);

/** Whether some string matches both shapes. */
export function intersects(a: readonly Atom[], b: readonly Atom[]): boolean {
  const seen = new Set<number>();
  const width = b.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x?.kind === 'star') {
      stack.push([i + 1, j]);
      if (y && y.kind !== 'star' && (y.kind === 'one' || allows(x.cls, y.char)))
        stack.push([i, j + 1]);
    }
    if (y?.kind === 'star') {
      stack.push([i, j + 1]);
      if (x && x.kind !== 'star' && (x.kind === 'one' || allows(y.cls, x.char)))
        stack.push([i + 1, j]);
    }
    if (x && y && x.kind !== 'star' && y.kind !== 'star') {
      const ok =
        x.kind === 'literal' && y.kind === 'literal'
          ? x.char === y.char
          : x.kind === 'literal'
            ? allows((y as { cls: CharClass }).cls, x.char)
            : y.kind === 'literal'
              ? allows(x.cls, y.char)
              : true;
      if (ok) stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
