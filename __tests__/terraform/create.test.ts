/** CONFIG_RECORDER_MODE=create through terraform validate and an offline plan. */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.create, { recorderCreated: true });
