/**
 * The two pieces of hashicorp/awscc this project uses, declared with cdktf's raw classes (no
 * prebuilt awscc bindings ship for cdktf 0.21). Kept in one module so a move to CDK Terrain's
 * `@cdktn/provider-awscc` is a one-file change.
 * @see https://registry.terraform.io/providers/hashicorp/awscc/latest/docs/data-sources/config_configuration_recorders
 */
import { TerraformDataSource, TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * Pinned exactly, like hashicorp/aws (6.25.0, fixed by @cdktf/provider-aws), so every init
 * installs the provider that was reviewed; a release changes it on purpose (CHANGELOG.md).
 * Cloud Control's plural data sources need a current awscc 1.x.
 */
export const AWSCC_VERSION_CONSTRAINT = '>= 1.66.0, < 2.0.0';

export interface AwsccProviderConfig {
  readonly region: string;
}

export class AwsccProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: AwsccProviderConfig,
  ) {
    super(scope, id, {
      terraformResourceType: 'awscc',
      terraformGeneratorMetadata: {
        providerName: 'awscc',
        providerVersionConstraint: AWSCC_VERSION_CONSTRAINT,
      },
      terraformProviderSource: 'hashicorp/awscc',
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { region: this.config.region };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { region: { value: this.config.region, type: 'simple', storageClassType: 'string' } };
  }
}

/**
 * `awscc_config_configuration_recorders`: every configuration recorder of the account and region.
 * Its `ids` are the recorders' Cloud Control primary identifiers, which for
 * AWS::Config::ConfigurationRecorder is the recorder *name* (schema primaryIdentifier
 * `/properties/Name`).
 */
export class DataAwsccConfigConfigurationRecorders extends TerraformDataSource {
  constructor(scope: Construct, id: string, provider: AwsccProvider) {
    super(scope, id, {
      terraformResourceType: 'awscc_config_configuration_recorders',
      terraformGeneratorMetadata: { providerName: 'awscc' },
      provider,
    });
  }

  /** Recorder names. */
  get ids(): string[] {
    return this.getListAttribute('ids');
  }
}
