// The tool versions the generated repository names: the lowest Terraform and
// OpenTofu it supports (versions.tf, the CI matrix, the README), and the
// linters its CI and pre-commit hooks pin. One place, so they cannot disagree.

/** Lowest Terraform: validation blocks that read other variables need 1.9. */
export const TERRAFORM_MIN = '1.9.0';
/** Lowest OpenTofu: validation blocks that read other variables need 1.9 (mock providers in tests, 1.8). */
export const TOFU_MIN = '1.9.0';
/** The aws provider range: the module reads nothing that differs between 5.100 and 6.x. */
export const AWS_PROVIDER = '>= 5.100, < 7.0';

export const TOOLS = {
  terraformMin: TERRAFORM_MIN,
  tofuMin: TOFU_MIN,
  /** `required_version`: the lowest release line, any patch. */
  requiredVersion: `>= ${TERRAFORM_MIN.split('.').slice(0, 2).join('.')}`,
  awsProvider: AWS_PROVIDER,
  tflint: 'v0.53.0',
  tflintAws: '0.44.0',
  terraformDocsConstraint: '>= 0.19.0, < 1.0.0',
} as const;
