/**
 * `terraform validate` for `npm run validate`: init and validate a synthesized stack (JSON or
 * HCL) in a temporary workspace of scripts/offline-terraform.ts, with providers from the registry
 * or a filesystem mirror. Skipped, with the reason, where terraform or a provider cannot run;
 * failed on any error or warning.
 */
import { describeDiagnostic, OfflineWorkspace, TerraformError } from './offline-terraform';
import { findTerraform } from './terraform-toolchain';

export type TerraformOutcome =
  | { readonly status: 'passed'; readonly message: string }
  | { readonly status: 'skipped'; readonly message: string }
  | { readonly status: 'failed'; readonly message: string; readonly problems: readonly string[] };

/** init + validate of one stack directory; never throws for a bad stack. */
export async function validateWithTerraform(dir: string): Promise<TerraformOutcome> {
  const found = findTerraform();
  if (!found.toolchain) return { status: 'skipped', message: `skipped: ${found.skip}` };
  const { toolchain } = found;
  const ws = OfflineWorkspace.create(dir, toolchain);
  try {
    let providers: Readonly<Record<string, string>>;
    try {
      providers = await ws.init();
    } catch (err) {
      if (!(err instanceof TerraformError)) throw err;
      if (err.providerUnavailable)
        return { status: 'skipped', message: `skipped: ${err.message.split('\n')[0]}` };
      return { status: 'failed', message: 'terraform init failed', problems: err.diagnostics };
    }
    const result = await ws.validate();
    const problems = [...result.errors, ...result.warnings].map(
      (d) => `${d.severity}: ${describeDiagnostic(d)}`,
    );
    if (result.valid && problems.length === 0) {
      const installed = Object.entries(providers)
        .map(([p, v]) => `${p} ${v}`)
        .join(', ');
      return {
        status: 'passed',
        message: `terraform ${toolchain.terraformVersion} validate: valid, no warnings (${installed || 'no providers'})`,
      };
    }
    return {
      status: 'failed',
      message: `terraform validate: ${result.errors.length} error(s), ${result.warnings.length} warning(s)`,
      problems,
    };
  } finally {
    ws.dispose();
  }
}
