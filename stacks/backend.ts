/** State backend per DESIGN §8: S3 (native lock file), Terraform Cloud, or local. */
import {
  CloudBackend,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  type TerraformStack,
} from 'cdktf';
import type { Settings } from './settings';

/** Configures the stack's backend; returns a one-line description for the synth notice. */
export function configureBackend(stack: TerraformStack, backend: Settings['backend']): string {
  switch (backend.kind) {
    case 's3': {
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: true,
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no typed field for it.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return `State: s3://${backend.bucket}/${backend.key} (${backend.region}, encrypted, S3 lock file)`;
    }
    case 'cloud':
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return `State: Terraform Cloud ${backend.hostname}/${backend.organization}/${backend.workspace}`;
    case 'local':
      // Relative to cdktf.out/stacks/<stack>/: the project root, the same on every machine.
      new LocalBackend(stack, { path: `../../../terraform.${stack.node.id}.tfstate` });
      return 'State: local file (set TF_STATE_BUCKET for S3, or TF_CLOUD_ORGANIZATION + TF_CLOUD_WORKSPACE for Terraform Cloud)';
  }
}
