/**
 * The failure queue: where Lambda puts asynchronous invocations that failed every retry and where
 * EventBridge puts events it could not deliver to a function. Encrypted with the messaging key;
 * the alarms watch its depth.
 */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from './environment';
import { denyInsecureTransport, policyDocument } from './iam';

/** Failed events stay two weeks (SQS's maximum) for investigation and replay. */
const RETENTION_SECONDS = 14 * 86400;

export class FailureQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly env: DeploymentEnvironment; readonly kmsKeyArn: string },
  ) {
    super(scope, id);
    const { env } = props;
    this.queue = new SqsQueue(this, 'queue', {
      name: env.name('compliance-failures'),
      kmsMasterKeyId: props.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: RETENTION_SECONDS,
    });
  }

  /** Lets EventBridge dead-letter into the queue, from the given rules only. */
  allowEventBridge(ruleArns: readonly string[]): void {
    new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: policyDocument([
        denyInsecureTransport(['sqs:*'], [this.queue.arn]),
        {
          sid: 'EventBridgeDeadLetters',
          principals: { Service: 'events.amazonaws.com' },
          actions: ['sqs:SendMessage'],
          resources: [this.queue.arn],
          conditions: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
        },
      ]),
    });
  }
}
