import { Testing } from 'cdktf';
import 'aws-sdk-client-mock-jest';

// cdktf matchers (toHaveResource…, toBeValidTerraform …) on jest's expect.
Testing.setupJest();
