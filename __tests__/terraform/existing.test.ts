/** CONFIG_RECORDER_MODE=existing through terraform validate and an offline plan. */
import { describeTerraformVariant } from './suite';
import { VARIANTS } from './variants';

describeTerraformVariant(VARIANTS.existing, { recorderCreated: false });
