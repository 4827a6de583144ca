/**
 * What `RETAIN_AUDIT_DATA=true` keeps when the stack is destroyed: the audit bucket with every
 * resource that configures it (versioning, encryption, public access block, ownership, policy,
 * lifecycle), and the data key with its alias, without which the evidence cannot be read.
 *
 * Each carries `lifecycle { prevent_destroy = true }`, which makes a plain `destroy` stop before
 * it changes anything. `npm run teardown` (scripts/teardown.ts) removes exactly the resources
 * marked here from the Terraform state, then destroys the rest: they stay in the account as they
 * were, no longer managed. (A `removed` block cannot do this: it is refused while the resource is
 * still in the configuration, and a destroy plan destroys what it lists anyway.)
 */
import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

export const RETAIN_LIFECYCLE = 'prevent_destroy';

/** Marks every resource in (or under) the given constructs as kept on destroy. */
export function retainOnDestroy(...scopes: IConstruct[]): void {
  for (const scope of scopes)
    for (const c of scope.node.findAll())
      if (TerraformResource.isTerraformResource(c))
        c.addOverride(`lifecycle.${RETAIN_LIFECYCLE}`, true);
}
