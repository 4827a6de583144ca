/** Default settings (CONFIG_RECORDER_MODE=auto) through terraform validate and an offline plan. */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

// auto mode needs hashicorp/awscc; where it cannot be installed this variant alone skips.
describeTerraformVariant(VARIANTS.defaults, { recorderCreated: true });
