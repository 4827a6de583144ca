import {
  alertAttributes,
  attributeBytes,
  composeAlert,
  fitBody,
  publishBytes,
  sanitizeSubject,
  SNS_MAX_BYTES,
  truncateUtf8,
  utf8Bytes,
} from '../../../lambdas/alert-notifier/message';

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

describe('sanitizeSubject', () => {
  it('keeps a short printable subject as it is', () => {
    // Act / Assert
    expect(sanitizeSubject('[dev] Compliance scan: 2 new')).toBe('[dev] Compliance scan: 2 new');
  });

  it('turns line breaks and control characters into spaces and non-ASCII into ?', () => {
    // Act
    const subject = sanitizeSubject('rule\r\nname\tand  bücket 🚨\u0007end');

    // Assert
    expect(subject).toBe('rule name and b?cket ? end');
    expect(subject).toMatch(PRINTABLE_ASCII);
  });

  it('cuts long subjects below 100 characters with an ellipsis', () => {
    // Act
    const subject = sanitizeSubject(`[dev] ${'x'.repeat(300)}`);

    // Assert
    expect(subject.length).toBeLessThan(100);
    expect(subject.endsWith('...')).toBe(true);
    expect(subject.startsWith('[dev] xxx')).toBe(true);
  });

  it('never returns an empty subject', () => {
    // Act / Assert
    expect(sanitizeSubject('\n\n')).toBe('Compliance alert');
  });
});

describe('alertAttributes', () => {
  it('labels severity, event type, new findings (Number) and environment', () => {
    // Act
    const attributes = alertAttributes({
      severity: 'critical',
      eventType: 'scan-completed',
      newFindings: 3,
      environment: 'dev',
    });

    // Assert
    expect(attributes).toEqual({
      severity: { DataType: 'String', StringValue: 'critical' },
      eventType: { DataType: 'String', StringValue: 'scan-completed' },
      newFindings: { DataType: 'Number', StringValue: '3' },
      environment: { DataType: 'String', StringValue: 'dev' },
    });
    // name + type + value: severity/String/critical = 8 + 6 + 8
    expect(attributeBytes({ severity: attributes.severity })).toBe(22);
  });
});

describe('truncateUtf8', () => {
  it('cuts on a byte budget without splitting a multi-byte character', () => {
    // Arrange
    const text = 'ab€€🚨';

    // Act / Assert
    expect(truncateUtf8(text, 100)).toBe(text);
    expect(truncateUtf8(text, 4)).toBe('ab'); // € is 3 bytes: 2 + 3 > 4
    expect(truncateUtf8(text, 5)).toBe('ab€');
    expect(truncateUtf8(text, 10)).toBe('ab€€');
    expect(utf8Bytes(truncateUtf8(text, 9))).toBeLessThanOrEqual(9);
  });
});

describe('fitBody', () => {
  const parts = {
    head: ['HEAD'],
    items: ['item-1', 'item-2', 'item-3'],
    tail: ['TAIL'],
    truncationNote: (shown: number, total: number) => [`(${shown} of ${total})`],
  };

  it('lists every item when the body fits', () => {
    // Act
    const fitted = fitBody(parts, 1000);

    // Assert
    expect(fitted).toEqual({
      body: 'HEAD\nitem-1\nitem-2\nitem-3\nTAIL',
      shown: 3,
      truncated: false,
    });
  });

  it('keeps head, note and tail and as many leading items as fit', () => {
    // Arrange: the full body is 30 bytes; HEAD\nitem-1\n(1 of 3)\nTAIL is 25
    const budget = 29;

    // Act
    const fitted = fitBody(parts, budget);

    // Assert
    expect(fitted).toEqual({ body: 'HEAD\nitem-1\n(1 of 3)\nTAIL', shown: 1, truncated: true });
    expect(utf8Bytes(fitted.body)).toBeLessThanOrEqual(budget);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // Arrange: each item is 6 characters but 18 bytes
    const wide = { ...parts, items: ['€€€€€€', '€€€€€€'] };

    // Act
    const fitted = fitBody(wide, 40);

    // Assert
    expect(fitted.shown).toBe(1);
    expect(utf8Bytes(fitted.body)).toBeLessThanOrEqual(40);
  });
});

describe('composeAlert', () => {
  it('keeps message, attributes and subject within the SNS limit', () => {
    // Arrange
    const items = Array.from({ length: 5000 }, (_, i) => `item ${i} ${'ü'.repeat(60)}`);

    // Act
    const msg = composeAlert(
      'subject',
      { severity: 'high', eventType: 'remediation', newFindings: 0, environment: 'dev' },
      { head: ['h'], items, tail: ['t'], truncationNote: () => ['cut'] },
    );

    // Assert
    expect(msg.truncated).toBe(true);
    expect(publishBytes(msg)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(publishBytes(msg)).toBeGreaterThan(SNS_MAX_BYTES - 200);
  });
});
