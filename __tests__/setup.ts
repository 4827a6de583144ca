import { Testing } from 'cdktf';
import 'aws-sdk-client-mock-jest';

// cdktf matchers (toHaveResource…, toBeValidTerraform …) on jest's expect.
Testing.setupJest();

// Handlers log JSON and print EMF metrics to stdout; tests assert behaviour, not those lines.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
