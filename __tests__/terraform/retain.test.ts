/** RETAIN_AUDIT_DATA=true through terraform validate and an offline plan. */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.retain, { recorderCreated: true });
