/**
 * REST-JSON answers of the fake AWS (operation from method and path): Lambda (functions,
 * concurrency, tags, resource policies), EFS file systems, GuardDuty detectors, Security Hub's
 * hub and IAM Access Analyzer analyzers, each from the request's region.
 */
import type { HttpRequest } from '@smithy/core/transport';
import type { SyntheticAccount } from './account';
import { detectorId } from './account-settings';
import type { Operation } from './answers-s3';
import { epochSeconds, iso, json, jsonError, page, pageItems, queryValue } from './wire';

const LAMBDA_PAGE_MAX = 50;
const EFS_PAGE_MAX = 100;
const DETECTOR_PAGE_MAX = 50;
const ANALYZER_PAGE_MAX = 100;

function functionIndex(a: SyntheticAccount, slot: number, ref: string): number | undefined {
  const name = decodeURIComponent(ref).split(':').pop() ?? '';
  const m = /^bench-fn-(\d+)$/.exec(name);
  const i = m ? Number(m[1]) : NaN;
  return i < a.counts.functions && i % a.regionCount === slot ? i : undefined;
}

const notFound = (what: string) => jsonError('ResourceNotFoundException', 404, `${what} not found`);

function lambda(a: SyntheticAccount, slot: number, req: HttpRequest): Operation {
  const fn = (ref: string, answer: (i: number) => ReturnType<Operation['answer']>) => () => {
    const i = functionIndex(a, slot, ref);
    return i === undefined ? notFound(`Function ${decodeURIComponent(ref)}`) : answer(i);
  };
  if (/^\/2015-03-31\/functions\/?$/.test(req.path)) {
    return {
      operation: 'ListFunctions',
      answer: () => {
        const p = page(
          a.inRegion('functions', slot),
          queryValue(req.query, 'Marker'),
          LAMBDA_PAGE_MAX,
          queryValue(req.query, 'MaxItems'),
        );
        const Functions = pageItems(p, (j) => {
          const f = a.function(a.indexIn(slot, j));
          return {
            FunctionName: f.name,
            FunctionArn: f.arn,
            ...(f.runtime
              ? { Runtime: f.runtime, Handler: 'index.handler', PackageType: 'Zip' }
              : { PackageType: 'Image' }),
            TracingConfig: { Mode: f.tracing },
            Architectures: ['arm64'],
          };
        });
        return json({ Functions, ...(p.next ? { NextMarker: p.next } : {}) });
      },
    };
  }
  const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(req.path);
  if (concurrency) {
    return {
      operation: 'GetFunctionConcurrency',
      answer: fn(concurrency[1]!, (i) => {
        const r = a.function(i).reserved;
        return json(r === undefined ? {} : { ReservedConcurrentExecutions: r });
      }),
    };
  }
  const tags = /^\/2017-03-31\/tags\/([^/]+)$/.exec(req.path);
  if (tags) {
    return {
      operation: 'ListTags',
      answer: fn(tags[1]!, (i) => json({ Tags: Object.fromEntries(a.function(i).tags) })),
    };
  }
  const policy = /^\/2015-03-31\/functions\/([^/]+)\/policy$/.exec(req.path);
  if (policy) {
    return {
      operation: 'GetPolicy',
      answer: fn(policy[1]!, (i) => {
        const f = a.function(i);
        if (!f.policy)
          return notFound(
            `The resource you requested does not exist. Function policy of ${f.name}`,
          );
        const statements = f.policy.map((s) => ({ ...s, Resource: f.arn }));
        return json({
          Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }),
          RevisionId: '00000000-0000-4000-8000-000000000000',
        });
      }),
    };
  }
  throw new Error(`fake AWS: unsupported Lambda request ${req.method} ${req.path}`);
}

function efs(a: SyntheticAccount, slot: number, req: HttpRequest): Operation {
  if (!/^\/2015-02-01\/file-systems\/?$/.test(req.path))
    throw new Error(`fake AWS: unsupported EFS request ${req.method} ${req.path}`);
  return {
    operation: 'DescribeFileSystems',
    answer: () => {
      const p = page(
        a.inRegion('fileSystems', slot),
        queryValue(req.query, 'Marker'),
        EFS_PAGE_MAX,
        queryValue(req.query, 'MaxItems'),
      );
      const FileSystems = pageItems(p, (j) => {
        const f = a.fileSystem(a.indexIn(slot, j));
        return {
          OwnerId: a.accountId,
          CreationToken: f.id,
          FileSystemId: f.id,
          FileSystemArn: f.arn,
          CreationTime: epochSeconds(a.nowMs - 100 * 86_400_000),
          LifeCycleState: 'available',
          ...(f.name ? { Name: f.name } : {}),
          NumberOfMountTargets: 1,
          SizeInBytes: { Value: 6144 },
          PerformanceMode: 'generalPurpose',
          Encrypted: f.kmsKeyId !== undefined,
          ...(f.kmsKeyId ? { KmsKeyId: f.kmsKeyId } : {}),
          ThroughputMode: 'elastic',
          Tags: f.name ? [{ Key: 'Name', Value: f.name }] : [],
        };
      });
      return json({ FileSystems, ...(p.next ? { NextMarker: p.next } : {}) });
    },
  };
}

function guardDuty(a: SyntheticAccount, slot: number, req: HttpRequest): Operation {
  const status = a.regional(slot).detector;
  const detectors = status ? [detectorId(slot)] : [];
  if (/^\/detector\/?$/.test(req.path)) {
    return {
      operation: 'ListDetectors',
      answer: () => {
        const p = page(
          detectors.length,
          queryValue(req.query, 'nextToken'),
          DETECTOR_PAGE_MAX,
          queryValue(req.query, 'maxResults'),
        );
        return json({
          detectorIds: pageItems(p, (k) => detectors[k]),
          ...(p.next ? { nextToken: p.next } : {}),
        });
      },
    };
  }
  const one = /^\/detector\/([^/]+)$/.exec(req.path);
  if (one) {
    return {
      operation: 'GetDetector',
      answer: () =>
        detectors.includes(one[1]!)
          ? json({
              createdAt: iso(a.nowMs - 200 * 86_400_000),
              findingPublishingFrequency: 'SIX_HOURS',
              serviceRole: `arn:aws:iam::${a.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
              status,
              updatedAt: iso(a.nowMs - 86_400_000),
              tags: {},
            })
          : jsonError(
              'BadRequestException',
              400,
              'The request is rejected because the input detectorId is not owned by the current account.',
            ),
    };
  }
  throw new Error(`fake AWS: unsupported GuardDuty request ${req.method} ${req.path}`);
}

function securityHub(
  a: SyntheticAccount,
  region: string,
  slot: number,
  req: HttpRequest,
): Operation {
  if (!/^\/accounts\/?$/.test(req.path) || req.method !== 'GET')
    throw new Error(`fake AWS: unsupported Security Hub request ${req.method} ${req.path}`);
  return {
    operation: 'DescribeHub',
    answer: () =>
      a.regional(slot).securityHub
        ? json({
            HubArn: `arn:aws:securityhub:${region}:${a.accountId}:hub/default`,
            SubscribedAt: iso(a.nowMs - 300 * 86_400_000),
            AutoEnableControls: true,
            ControlFindingGenerator: 'SECURITY_CONTROL',
          })
        : json(
            {
              Message: `Account ${a.accountId} is not subscribed to AWS Security Hub`,
              Code: 'InvalidAccessException',
            },
            401,
            { 'x-amzn-errortype': 'InvalidAccessException' },
          ),
  };
}

function accessAnalyzer(
  a: SyntheticAccount,
  region: string,
  slot: number,
  req: HttpRequest,
): Operation {
  if (!/^\/analyzer\/?$/.test(req.path) || req.method !== 'GET')
    throw new Error(`fake AWS: unsupported Access Analyzer request ${req.method} ${req.path}`);
  return {
    operation: 'ListAnalyzers',
    answer: () => {
      const type = queryValue(req.query, 'type');
      const analyzers = a.regional(slot).analyzers.filter((x) => !type || x.type === type);
      const p = page(
        analyzers.length,
        queryValue(req.query, 'nextToken'),
        ANALYZER_PAGE_MAX,
        queryValue(req.query, 'maxResults'),
      );
      return json({
        analyzers: pageItems(p, (k) => {
          const x = analyzers[k]!;
          return {
            arn: `arn:aws:access-analyzer:${region}:${a.accountId}:analyzer/${x.name}`,
            name: x.name,
            type: x.type,
            createdAt: iso(a.nowMs - 50 * 86_400_000),
            status: x.status,
          };
        }),
        ...(p.next ? { nextToken: p.next } : {}),
      });
    },
  };
}

/** The operation a REST-JSON request asks of `service` in `region`. */
export function restService(
  a: SyntheticAccount,
  service: string,
  region: string,
  req: HttpRequest,
): Operation {
  const slot = a.slotOf(region);
  switch (service) {
    case 'lambda':
      return lambda(a, slot, req);
    case 'efs':
      return efs(a, slot, req);
    case 'guardduty':
      return guardDuty(a, slot, req);
    case 'securityhub':
      return securityHub(a, region, slot, req);
    default:
      return accessAnalyzer(a, region, slot, req);
  }
}
