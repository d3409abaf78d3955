// The tool versions the generated repository names: the lowest Terraform and
// OpenTofu it supports (versions.tf, the CI matrix, the README), and the
// linters its CI and pre-commit hooks pin. One place, so they cannot disagree.

/** Lowest Terraform: validation blocks that read other variables need 1.9. */
export const TERRAFORM_MIN = '1.9.0';
/** Lowest OpenTofu: validation blocks that read other variables need 1.9 (mock providers in tests, 1.8). */
export const TOFU_MIN = '1.9.0';
/**
 * Releases the module refuses: Terraform 1.15.0 fails `init` on validation
 * blocks that read other variables (hashicorp/terraform#38463, fixed in
 * 1.15.1). `required_version` is read by OpenTofu too, so it refuses an
 * OpenTofu release of the same number as well.
 */
export const EXCLUDED_VERSIONS: readonly string[] = ['1.15.0'];
/** The aws provider range: the module reads nothing that differs between 5.100 and 6.x. */
export const AWS_PROVIDER = '>= 5.100, < 7.0';

const byVersion = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number)) as [number[], number[]];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * "The latest release at or above `min`, but none of EXCLUDED_VERSIONS", as a
 * semver range: hashicorp/setup-terraform and opentofu/setup-opentofu both pick
 * the highest release that satisfies a range (semver's maxSatisfying), and
 * "latest" alone would install an excluded release while it is the newest.
 */
function latestRange(min: string): string {
  const excluded = EXCLUDED_VERSIONS.filter((v) => byVersion(v, min) >= 0).sort(byVersion);
  const parts: string[] = [];
  let lower = `>=${min}`;
  for (const version of excluded) {
    parts.push(`${lower} <${version}`);
    lower = `>${version}`;
  }
  parts.push(lower);
  return parts.join(' || ');
}

/** A GitHub Action pinned by commit: `uses: <repo>@<sha> # <version>`. */
export interface PinnedAction {
  repo: string;
  /** The release the commit is, for people and for Dependabot, which updates both. */
  version: string;
  /** The commit the release tag points to. */
  sha: string;
}

/**
 * The actions the generated CI uses, each pinned to the full commit SHA of a
 * release (a tag can be moved; a commit cannot). Each SHA is the tag's commit
 * in the action's own repository (`git rev-parse <version>^{commit}` in a
 * clone of github.com/<repo>); .github/dependabot.yml proposes updates.
 */
export const ACTIONS = {
  checkout: { repo: 'actions/checkout', version: 'v4.2.2', sha: '11bd71901bbe5b1630ceea73d27597364c9af683' },
  setupTerraform: { repo: 'hashicorp/setup-terraform', version: 'v3.1.2', sha: 'b9cd54a3c349d3f38e8881555d616ced269862dd' },
  setupOpentofu: { repo: 'opentofu/setup-opentofu', version: 'v1.0.8', sha: '9d84900f3238fab8cd84ce47d658d25dd008be2f' },
  setupTflint: { repo: 'terraform-linters/setup-tflint', version: 'v4.0.0', sha: '19a52fbac37dacb22a09518e4ef6ee234f2d4987' },
  terraformDocs: { repo: 'terraform-docs/gh-actions', version: 'v1.3.0', sha: 'aeae0038ed47a547e0c0fca5c059d3335f48fb25' },
  setupPython: { repo: 'actions/setup-python', version: 'v5.3.0', sha: '0b93645e9fea7318ecaed2b359559ac225c90a2b' },
} as const satisfies Record<string, PinnedAction>;

/** The `uses:` value of a pinned action, with its release as a trailing comment. */
export const uses = (action: PinnedAction): string => `${action.repo}@${action.sha} # ${action.version}`;

export const TOOLS = {
  terraformMin: TERRAFORM_MIN,
  tofuMin: TOFU_MIN,
  /** `required_version`: the lowest release line, any patch, but no excluded release. */
  requiredVersion: [`>= ${TERRAFORM_MIN.split('.').slice(0, 2).join('.')}`, ...EXCLUDED_VERSIONS.map((v) => `!= ${v}`)].join(', '),
  excludedVersions: EXCLUDED_VERSIONS,
  /** What the CI matrix installs as "latest". */
  terraformLatest: latestRange(TERRAFORM_MIN),
  tofuLatest: latestRange(TOFU_MIN),
  awsProvider: AWS_PROVIDER,
  tflint: 'v0.53.0',
  tflintAws: '0.44.0',
  terraformDocsConstraint: '>= 0.19.0, < 1.0.0',
  actions: ACTIONS,
  uses,
} as const;
