import {
  FUNCTION_CATALOG,
  interfaceEndpointServices,
  runsInVpc,
  type ServiceApi,
} from '../../stacks/function-catalog';
import { FUNCTION_NAMES, resolveSettings } from '../../stacks/settings';
import { sdkClientsImported } from '../helpers/stack';

/** SDK client package → the API endpoint (VPC endpoint service short name) it calls. */
const CLIENT_ENDPOINT: Readonly<Record<string, ServiceApi>> = {
  s3: 's3',
  // S3 Control (account-level public access block) is served by the S3 endpoints too.
  's3-control': 's3',
  ec2: 'ec2',
  iam: 'iam',
  lambda: 'lambda',
  'config-service': 'config',
  eventbridge: 'events',
  sns: 'sns',
  kms: 'kms',
  sts: 'sts',
  securityhub: 'securityhub',
};

describe('FUNCTION_CATALOG', () => {
  it.each(FUNCTION_NAMES.map((name) => [name]))(
    'lists every API the code of %s calls (so the network can reach it)',
    (name) => {
      // GIVEN: the SDK clients its own folder imports
      const clients = sdkClientsImported(name);

      // THEN
      expect(clients.length).toBeGreaterThan(0);
      for (const client of clients) {
        expect(Object.keys(CLIENT_ENDPOINT)).toContain(client);
        expect(FUNCTION_CATALOG[name].services).toContain(CLIENT_ENDPOINT[client]);
      }
    },
  );

  it('keeps functions that call IAM out of the VPC unless a NAT gateway gives them the internet', () => {
    // GIVEN
    const endpoints = resolveSettings({ environmentSuffix: 'x' });
    const nat = resolveSettings({ environmentSuffix: 'x', networkEgress: 'nat' });

    // THEN: IAM has no regional private endpoint
    for (const name of FUNCTION_NAMES) {
      const spec = FUNCTION_CATALOG[name];
      if (spec.services.includes('iam')) expect(spec.needsInternet).toBe(true);
      expect(runsInVpc(spec, endpoints)).toBe(!spec.needsInternet);
      expect(runsInVpc(spec, nat)).toBe(true);
    }
  });

  it('asks for interface endpoints of the in-VPC functions only, never S3 (a gateway endpoint)', () => {
    const settings = resolveSettings({ environmentSuffix: 'x' });
    expect(interfaceEndpointServices(settings)).toEqual([
      'config',
      'ec2',
      'events',
      'kms',
      'sns',
      'xray',
    ]);
  });
});
