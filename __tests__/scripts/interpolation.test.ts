import {
  hasInterpolation,
  parseExpression,
  parseTemplate,
  soleTraversal,
  splitTemplate,
} from '../../scripts/interpolation';

const refs = (template: string): string[] => parseTemplate(template).references.map((r) => r.text);

describe('parseTemplate', () => {
  it.each([
    ['${aws_s3_bucket.b.arn}/findings/*', ['aws_s3_bucket.b.arn']],
    [
      'arn:${data.aws_partition.p.partition}:s3:::x-${count.index}',
      ['data.aws_partition.p.partition', 'count.index'],
    ],
    ['${element(concat(local.other, ["compliance-recorder-dev"]), 0)}', ['local.other']],
    ['${(length(local.others) < 1) ? 1 : 0}', ['local.others']],
    [
      '${merge(local.tags, { Name = "x-${var.suffix}", other: aws_vpc.v.id })}',
      ['local.tags', 'var.suffix', 'aws_vpc.v.id'],
    ],
    [
      '${aws_subnet.s[count.index].id} ${aws_subnet.s[*].id} ${aws_subnet.s.*.id}',
      ['aws_subnet.s', 'count.index', 'aws_subnet.s', 'aws_subnet.s.*.id'],
    ],
    ['${provider::aws::arn_parse(aws_iam_role.r.arn).account_id}', ['aws_iam_role.r.arn']],
    ['${fn-scanner_function.x.y}', ['fn-scanner_function.x.y']],
    [
      '${each.value.x} ${1.5e3 + length(var.q)} ${local.x[0].y}',
      ['each.value.x', 'var.q', 'local.x'],
    ],
    ['${var.a ? { x = 1 } : { y = var.c }}', ['var.a', 'var.c']],
    ['no interpolation, $${escaped} and %%{ this }', []],
    ['${"a ${var.b} c"}', ['var.b']],
  ])('%s → %j', (template, expected) => {
    expect(refs(template)).toEqual(expected);
    expect(parseTemplate(template).errors).toEqual([]);
  });

  it('binds for-expression names inside the expression only', () => {
    const t =
      '${[ for key, val in toset(data.awscc_config_configuration_recorders.r.ids): val if val != "ours" && !startswith(val, "AWSConfigurationRecorderFor")]}';
    expect(refs(t)).toEqual(['data.awscc_config_configuration_recorders.r.ids']);
    expect(parseTemplate(t).functions).toEqual(['toset', 'startswith']);
    expect(refs('${{for k, v in var.m : k => v.a if v.b}} ${v.after}')).toEqual([
      'var.m',
      'v.after',
    ]);
    expect(refs('${[for x in var.l : x ? var.a : var.b]}')).toEqual(['var.l', 'var.a', 'var.b']);
  });

  it('binds template for-directive names until endfor', () => {
    expect(refs('%{ for x in var.list }${x.name}-${y}%{ endfor }${x}')).toEqual([
      'var.list',
      'y',
      'x',
    ]);
  });

  it('binds names given by the caller (dynamic-block iterators)', () => {
    expect(parseTemplate('${ingress.value.port}', ['ingress']).references).toEqual([]);
  });

  it('reports syntax errors', () => {
    expect(parseTemplate('${foo(}').errors.join()).toMatch(/unbalanced|unterminated/);
    expect(parseTemplate('${"abc}').errors.join()).toMatch(/unterminated string/);
    expect(parseTemplate('${}').errors.join()).toMatch(/empty interpolation/);
    expect(parseTemplate('%{ for x in y }').errors.join()).toMatch(/without %\{ endfor \}/);
  });
});

describe('helpers', () => {
  it('parses bare expressions (depends_on entries)', () => {
    expect(parseExpression('aws_iam_role.r').references.map((r) => r.parts)).toEqual([
      ['aws_iam_role', 'r'],
    ]);
  });

  it('splits templates into text and interpolations', () => {
    expect(
      splitTemplate('arn:${data.p.x.partition}:s3:::${aws_s3_bucket.b.bucket}/$${aws:username}/*'),
    ).toEqual([
      { kind: 'text', text: 'arn:' },
      { kind: 'interpolation', expression: 'data.p.x.partition' },
      { kind: 'text', text: ':s3:::' },
      { kind: 'interpolation', expression: 'aws_s3_bucket.b.bucket' },
      { kind: 'text', text: '/${aws:username}/*' },
    ]);
  });

  it('recognises a sole traversal and real interpolations', () => {
    expect(soleTraversal('${aws_kms_key.k.arn}')?.parts).toEqual(['aws_kms_key', 'k', 'arn']);
    expect(soleTraversal('${element(x, 0)}')).toBeUndefined();
    expect(soleTraversal('x${aws_kms_key.k.arn}')).toBeUndefined();
    expect(hasInterpolation('a ${b}')).toBe(true);
    expect(hasInterpolation('a $${b}')).toBe(false);
  });
});
