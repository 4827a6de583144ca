/**
 * S3 (REST-XML) and S3 Control (REST-XML, `/v20180820/…`) answers of the fake AWS: the bucket
 * list, each bucket's configuration sub-resources (from the bucket's own region only, as S3
 * redirects any other), the account's Block Public Access and the access points of a region.
 */
import type { HttpRequest } from '@smithy/core/transport';
import type { SyntheticAccount } from './account';
import { bucketName } from './account-s3';
import type { PublicAccessBlockSpec } from './account-s3';
import {
  S3_CONTROL_NS,
  S3_NS,
  el,
  page,
  pageItems,
  queryValue,
  s3Error,
  xml,
  xmlEscape,
  type Reply,
} from './wire';
import { LOG_TARGET_BUCKET } from './account-s3';

const OWNER_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const S3_PAGE_MAX = 1000;
const ACCESS_POINT_PAGE_MAX = 1000;

export interface Operation {
  readonly operation: string;
  readonly answer: () => Reply;
}

function blockXml(root: string, b: PublicAccessBlockSpec, ns?: string): string {
  const flags = (
    [
      ['BlockPublicAcls', b.blockPublicAcls],
      ['IgnorePublicAcls', b.ignorePublicAcls],
      ['BlockPublicPolicy', b.blockPublicPolicy],
      ['RestrictPublicBuckets', b.restrictPublicBuckets],
    ] as const
  )
    .map(([name, on]) => el(name, on))
    .join('');
  return `<${root}${ns ? ` xmlns="${ns}"` : ''}>${flags}</${root}>`;
}

const noBlock = () =>
  s3Error(
    'NoSuchPublicAccessBlockConfiguration',
    404,
    'The public access block configuration was not found',
  );

export function listBuckets(a: SyntheticAccount, req: HttpRequest): Reply {
  const p = page(
    a.counts.buckets,
    queryValue(req.query, 'continuation-token'),
    S3_PAGE_MAX,
    queryValue(req.query, 'max-buckets'),
  );
  const items = pageItems(
    p,
    (i) =>
      `<Bucket>${el('Name', bucketName(i))}${el('CreationDate', '2024-01-01T00:00:00.000Z')}${el('BucketRegion', a.regionOf(i % a.regionCount))}</Bucket>`,
  ).join('');
  return xml(
    `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${el('ID', OWNER_ID)}</Owner><Buckets>${items}</Buckets>${el('ContinuationToken', p.next)}</ListAllMyBucketsResult>`,
  );
}

const SUBRESOURCES = [
  ['policy', 'GetBucketPolicy'],
  ['policyStatus', 'GetBucketPolicyStatus'],
  ['acl', 'GetBucketAcl'],
  ['publicAccessBlock', 'GetPublicAccessBlock'],
  ['ownershipControls', 'GetBucketOwnershipControls'],
  ['versioning', 'GetBucketVersioning'],
  ['logging', 'GetBucketLogging'],
  ['encryption', 'GetBucketEncryption'],
  ['tagging', 'GetBucketTagging'],
  ['location', 'GetBucketLocation'],
] as const;

function bucketIndex(a: SyntheticAccount, name: string): number | undefined {
  const m = /^bench-bucket-(\d+)$/.exec(name);
  const i = m ? Number(m[1]) : NaN;
  return i < a.counts.buckets ? i : undefined;
}

/** A configuration read of one bucket. */
export function bucketRead(
  a: SyntheticAccount,
  region: string,
  bucket: string,
  req: HttpRequest,
): Operation {
  const hit = SUBRESOURCES.find(([q]) => q in req.query);
  if (req.method !== 'GET' || !hit) {
    throw new Error(`fake AWS: unsupported S3 request ${req.method} ${bucket}${req.path}`);
  }
  const operation = hit[1];
  return {
    operation,
    answer: () => {
      const i = bucketIndex(a, bucket);
      if (i === undefined)
        return s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
      const b = a.bucket(i);
      if (operation === 'GetBucketLocation') {
        return xml(
          `<LocationConstraint xmlns="${S3_NS}">${b.region === 'us-east-1' ? '' : xmlEscape(b.region)}</LocationConstraint>`,
        );
      }
      if (b.region !== region) {
        return s3Error(
          'PermanentRedirect',
          301,
          'The bucket you are attempting to access must be addressed using the specified endpoint.',
        );
      }
      switch (operation) {
        case 'GetBucketPolicy':
          return b.policy === null
            ? s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist')
            : { status: 200, headers: { 'content-type': 'application/json' }, body: b.policy };
        case 'GetBucketPolicyStatus':
          return b.policy === null
            ? s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist')
            : xml(
                `<PolicyStatus xmlns="${S3_NS}">${el('IsPublic', b.policyIsPublic === true)}</PolicyStatus>`,
              );
        case 'GetBucketAcl': {
          const grants = b.aclGrants
            .map((g) =>
              g.uri
                ? `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">${el('URI', g.uri)}</Grantee>${el('Permission', g.permission)}</Grant>`
                : `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${el('ID', OWNER_ID)}</Grantee>${el('Permission', g.permission)}</Grant>`,
            )
            .join('');
          return xml(
            `<AccessControlPolicy xmlns="${S3_NS}"><Owner>${el('ID', OWNER_ID)}</Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`,
          );
        }
        case 'GetPublicAccessBlock':
          return b.publicAccessBlock === null
            ? noBlock()
            : xml(blockXml('PublicAccessBlockConfiguration', b.publicAccessBlock, S3_NS));
        case 'GetBucketOwnershipControls':
          return b.ownership === null
            ? s3Error(
                'OwnershipControlsNotFoundError',
                404,
                'The bucket ownership controls were not found',
              )
            : xml(
                `<OwnershipControls xmlns="${S3_NS}"><Rule>${el('ObjectOwnership', b.ownership)}</Rule></OwnershipControls>`,
              );
        case 'GetBucketVersioning':
          return xml(
            `<VersioningConfiguration xmlns="${S3_NS}">${el('Status', b.versioning)}</VersioningConfiguration>`,
          );
        case 'GetBucketLogging':
          return xml(
            `<BucketLoggingStatus xmlns="${S3_NS}">${b.logging ? `<LoggingEnabled>${el('TargetBucket', LOG_TARGET_BUCKET)}${el('TargetPrefix', `${b.name}/`)}</LoggingEnabled>` : ''}</BucketLoggingStatus>`,
          );
        case 'GetBucketEncryption': {
          const e = b.encryption;
          if (e === null) {
            return s3Error(
              'ServerSideEncryptionConfigurationNotFoundError',
              404,
              'The server side encryption configuration was not found',
            );
          }
          return xml(
            `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault>${el('SSEAlgorithm', e.algorithm)}${el('KMSMasterKeyID', e.keyId)}</ApplyServerSideEncryptionByDefault>${el('BucketKeyEnabled', e.algorithm === 'aws:kms')}</Rule></ServerSideEncryptionConfiguration>`,
          );
        }
        default: // GetBucketTagging
          return b.tags === null
            ? s3Error('NoSuchTagSet', 404, 'The TagSet does not exist')
            : xml(
                `<Tagging xmlns="${S3_NS}"><TagSet>${b.tags.map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`).join('')}</TagSet></Tagging>`,
              );
      }
    },
  };
}

/** S3 Control: the account's Block Public Access and the access points of `region`. */
export function s3Control(a: SyntheticAccount, region: string, req: HttpRequest): Operation {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/v20180820/configuration/publicAccessBlock' && req.method === 'GET') {
    return {
      operation: 'GetPublicAccessBlock',
      answer: () => {
        const block = a.profile.accountBlock;
        return block === null
          ? noBlock()
          : xml(blockXml('PublicAccessBlockConfiguration', block, S3_CONTROL_NS));
      },
    };
  }
  const slot = a.slotOf(region);
  if (path === '/v20180820/accesspoint' && req.method === 'GET') {
    return {
      operation: 'ListAccessPoints',
      answer: () => {
        const p = page(
          a.inRegion('accessPoints', slot),
          queryValue(req.query, 'nextToken'),
          ACCESS_POINT_PAGE_MAX,
          queryValue(req.query, 'maxResults'),
        );
        const items = pageItems(p, (j) => {
          const ap = a.accessPoint(a.indexIn(slot, j));
          return `<AccessPoint>${el('Name', ap.name)}${el('NetworkOrigin', ap.networkOrigin)}${el('Bucket', ap.bucket)}${el('AccessPointArn', ap.arn)}${el('Alias', `${ap.name}-bench-s3alias`)}${el('BucketAccountId', a.accountId)}</AccessPoint>`;
        }).join('');
        return xml(
          `<ListAccessPointsResult xmlns="${S3_CONTROL_NS}"><AccessPointList>${items}</AccessPointList>${el('NextToken', p.next)}</ListAccessPointsResult>`,
        );
      },
    };
  }
  const one = /^\/v20180820\/accesspoint\/([^/]+)$/.exec(path);
  if (one && req.method === 'GET') {
    return {
      operation: 'GetAccessPoint',
      answer: () => {
        const name = decodeURIComponent(one[1]!);
        const m = /^bench-ap-(\d+)$/.exec(name);
        const i = m ? Number(m[1]) : NaN;
        if (!(i < a.counts.accessPoints) || i % a.regionCount !== slot) {
          return s3Error('NoSuchAccessPoint', 404, 'The specified accesspoint does not exist');
        }
        const ap = a.accessPoint(i);
        const block = ap.publicAccessBlock
          ? blockXml('PublicAccessBlockConfiguration', ap.publicAccessBlock)
          : '';
        return xml(
          `<GetAccessPointResult xmlns="${S3_CONTROL_NS}">${el('Name', ap.name)}${el('Bucket', ap.bucket)}${el('NetworkOrigin', ap.networkOrigin)}${block}${el('CreationDate', '2024-01-01T00:00:00Z')}${el('AccessPointArn', ap.arn)}${el('BucketAccountId', a.accountId)}</GetAccessPointResult>`,
        );
      },
    };
  }
  throw new Error(`fake AWS: unsupported S3 Control request ${req.method} ${req.path}`);
}
