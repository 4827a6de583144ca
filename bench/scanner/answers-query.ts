/**
 * AWS query protocol answers (XML) of the fake AWS for RDS (DB instances, Marker / MaxRecords)
 * and SNS (a topic's subscriptions, NextToken), from the request's region.
 */
import type { SyntheticAccount } from './account';
import { topicSubscriptions } from './account-settings';
import { RDS_NS, SNS_NS, el, page, pageItems, queryError, xml, type Reply } from './wire';

const RDS_PAGE_MAX = 100;
const SNS_PAGE_MAX = 100;

function wrap(ns: string, action: string, inner: string): Reply {
  return xml(
    `<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata>${el('RequestId', 'bench')}</ResponseMetadata></${action}Response>`,
  );
}

export function rds(
  a: SyntheticAccount,
  region: string,
  action: string,
  params: URLSearchParams,
): Reply {
  if (action !== 'DescribeDBInstances')
    return queryError(RDS_NS, 'InvalidAction', 400, `fake AWS does not implement ${action}`);
  const slot = a.slotOf(region);
  const p = page(
    a.inRegion('dbInstances', slot),
    params.get('Marker'),
    RDS_PAGE_MAX,
    params.get('MaxRecords'),
  );
  const instances = pageItems(p, (j) => {
    const d = a.dbInstance(a.indexIn(slot, j));
    return `<DBInstance>${el('DBInstanceIdentifier', d.id)}${el('DBInstanceClass', 'db.t4g.micro')}${el('Engine', d.engine)}${el('DBInstanceStatus', 'available')}${el('AutoMinorVersionUpgrade', d.autoMinorUpgrade)}${el('PubliclyAccessible', d.public)}${el('DBClusterIdentifier', d.cluster)}${el('StorageEncrypted', d.encrypted)}${el('DBInstanceArn', d.arn)}<TagList><Tag>${el('Key', 'Owner')}${el('Value', 'bench-owner')}</Tag></TagList></DBInstance>`;
  }).join('');
  return wrap(RDS_NS, action, `<DBInstances>${instances}</DBInstances>${el('Marker', p.next)}`);
}

export function sns(a: SyntheticAccount, action: string, params: URLSearchParams): Reply {
  if (action !== 'ListSubscriptionsByTopic')
    return queryError(SNS_NS, 'InvalidAction', 400, `fake AWS does not implement ${action}`);
  const topic = params.get('TopicArn') ?? '';
  const subscriptions = topicSubscriptions(a, topic);
  if (!subscriptions) return queryError(SNS_NS, 'NotFound', 404, 'Topic does not exist');
  const p = page(subscriptions.length, params.get('NextToken'), SNS_PAGE_MAX);
  const members = pageItems(
    p,
    (k) =>
      `<member>${el('TopicArn', topic)}${el('Protocol', 'email')}${el('SubscriptionArn', subscriptions[k])}${el('Owner', a.accountId)}${el('Endpoint', `security-${k}@example.com`)}</member>`,
  ).join('');
  return wrap(
    SNS_NS,
    action,
    `<Subscriptions>${members}</Subscriptions>${el('NextToken', p.next)}`,
  );
}
