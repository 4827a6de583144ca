/** NAT egress, enforce remediation, S3 backend and e-mail alerts through terraform validate and an offline plan. */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.natEnforce, { recorderCreated: true });
