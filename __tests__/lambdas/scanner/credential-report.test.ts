import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  CredentialReportNotReadyError,
  generateCredentialReport,
  getCredentialReport,
  parseCredentialReport,
  parseCsv,
} from '../../../lambdas/scanner/inventory/credential-report';
import { mocks, REPORT_HEADER, resetMocks, ROOT_ROW } from './aws-mocks';

const iam = new IAMClient({ region: 'us-east-1' });

describe('parseCsv', () => {
  it('handles quoted commas, doubled quotes, CRLF and a missing final newline', () => {
    // Act
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""",z\r\nlast,row,end');

    // Assert
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'z'],
      ['last', 'row', 'end'],
    ]);
  });
});

describe('parseCredentialReport', () => {
  it('turns N/A, no_information and not_supported into nulls and keeps real dates', () => {
    // Arrange
    const alice =
      'alice,arn:aws:iam::123456789012:user/alice,2025-01-02T03:04:05+00:00,true,no_information,2025-01-02T03:04:05+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,2026-05-30T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    const csv = `${REPORT_HEADER}\n${ROOT_ROW}\n${alice}\n`;

    // Act
    const [root, user] = parseCredentialReport(csv);

    // Assert
    expect(root).toMatchObject({
      user: '<root_account>',
      passwordEnabled: null,
      passwordLastChanged: null,
      mfaActive: true,
    });
    expect(user).toEqual({
      user: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      userCreationTime: '2025-01-02T03:04:05.000Z',
      passwordEnabled: true,
      passwordLastUsed: null,
      passwordLastUsedRaw: 'no_information',
      passwordLastChanged: '2025-01-02T03:04:05.000Z',
      mfaActive: false,
      accessKeys: [
        {
          active: true,
          lastRotated: '2025-02-01T00:00:00.000Z',
          lastUsedDate: '2026-05-30T00:00:00.000Z',
        },
        { active: false, lastRotated: null, lastUsedDate: null },
      ],
    });
  });

  it('rejects a report without the expected columns', () => {
    expect(() => parseCredentialReport('name,age\nbob,3\n')).toThrow(
      'lacks column(s): user, arn, password_enabled, mfa_active',
    );
  });
});

describe('credential report generation', () => {
  beforeEach(() => resetMocks());

  it('polls GenerateCredentialReport until COMPLETE, sleeping between polls, then gets it once', async () => {
    // Arrange
    mocks.iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    const sleep = jest.fn().mockResolvedValue(undefined);

    // Act
    await generateCredentialReport(iam, { sleep, pollIntervalMs: 1234 });
    const csv = await getCredentialReport(iam);

    // Assert
    expect(mocks.iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 3);
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledWith(1234);
    expect(mocks.iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
    expect(csv.startsWith('user,arn,')).toBe(true);
  });

  it('gives up after the bounded number of polls', async () => {
    // Arrange
    mocks.iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const sleep = jest.fn().mockResolvedValue(undefined);

    // Act
    const attempt = generateCredentialReport(iam, { sleep, maxPolls: 4 });

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(CredentialReportNotReadyError);
    expect(mocks.iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 4);
    expect(sleep).toHaveBeenCalledTimes(3);
  });
});
