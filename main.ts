import { App, TerraformStack } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
const app = new App();
const s = new TerraformStack(app, 'compliance');
new AwsProvider(s, 'aws', { region: 'us-east-1' });
new S3Bucket(s, 'b', { bucket: 'x' });
app.synth();
