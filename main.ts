/**
 * Entry point of `cdktf synth`: settings from the environment (or cdktf context), validated before
 * anything is built, then the ComplianceStack. A bad setting exits non-zero with one message that
 * names it, and no stack is written.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ComplianceStack } from './stacks/compliance-stack';
import { installLockFile } from './stacks/lock-file';
import { MEMBERS_STACK_ID, MembersStack } from './stacks/members-stack';
import { loadStackProps, SettingsError, type ComplianceStackProps } from './stacks/settings';
import { synthNotices } from './stacks/synth-notices';

/** The stack's id: its folder under cdktf.out/stacks and its name in `cdktf deploy`. */
export const STACK_ID = 'compliance-audit';

const app = new App();
// Every context key (cdktf.json "context"): settings are read from it, and unknown keys refused.
const context = Object.fromEntries(
  Object.entries(app.node.getAllContext() as Record<string, unknown>).map(([name, value]) => [
    name,
    value === undefined || value === null ? undefined : String(value),
  ]),
);
let props: ComplianceStackProps;
try {
  props = loadStackProps(process.env, context);
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  console.error(err.message);
  // A stack from an earlier synth would now be stale: remove it so nothing can apply it by mistake.
  for (const id of [STACK_ID, MEMBERS_STACK_ID])
    rmSync(join(app.outdir, 'stacks', id), { recursive: true, force: true });
  process.exit(1);
}
const stack = new ComplianceStack(app, STACK_ID, props);
// Notices go to stdout: cdktf shows whatever the app writes to stderr as an [ERROR].
for (const line of synthNotices(stack.settings, stack.backendDescription)) console.log(line);
// Organization mode: the member accounts' role, its own stack (deployed first, by the management account).
if (stack.settings.organization) {
  const members = new MembersStack(app, MEMBERS_STACK_ID, props);
  console.log(`Notice: ${MEMBERS_STACK_ID}: ${members.backendDescription}`);
}
// Start from empty stack folders: a cdk.tf.json left by an earlier synth beside a new cdk.tf
// (--hcl), zips of old code, or a members stack from an earlier organization-mode synth would
// otherwise stay where Terraform reads them.
for (const id of [STACK_ID, MEMBERS_STACK_ID])
  rmSync(join(app.outdir, 'stacks', id), { recursive: true, force: true });
app.synth();
// The committed provider lock file, if any, so terraform init verifies the providers against it.
installLockFile(__dirname, join(app.outdir, 'stacks', STACK_ID));
