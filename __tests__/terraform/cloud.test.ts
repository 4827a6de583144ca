/** The Terraform Cloud backend through terraform validate and an offline plan (local state substituted). */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.cloud, { recorderCreated: false });
