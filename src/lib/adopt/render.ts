// What the templates of an adopting render see (templates/adopt/<adopt_from>/
// and the adopting parts of README.md): the moves, the kept names as HCL, and
// the old module's resources with the names the answers give them. Pure.
import type { Answers } from '../inputs/catalogue.js';
import { hclAddress, hclTemplate } from '../render/hcl.js';
import {
  ADOPTABLE,
  ADOPTED_NAMES,
  ADOPTED_STEMS,
  KEPT_SECURITY_GROUP_DESCRIPTION,
  MODULE_MOVES,
  OLD_RESOURCES,
  SOURCE,
  nameHcl,
  parseModuleAddress,
  type AdoptFrom,
  type OldResource,
} from './terraform-aws-metaflow.js';

/** The module call of examples/complete (templates/examples/complete/main.tf.ejs). */
export const MODULE_CALL = 'metadata_service';

export interface Move {
  from: string;
  to: string;
}

export interface Adoption {
  from: AdoptFrom;
  source: typeof SOURCE;
  /** The old module's address in the state, as HCL. */
  oldAddress: string;
  /** Through the repository's root module (its call of the module is the last step). */
  throughRoot: boolean;
  /** This module's address in examples/complete. */
  newAddress: string;
  /** The caller's move (examples/complete/adopt.tf); none when the call keeps its address. */
  callerMove?: Move;
  /** The moves inside the module (adopt.tf). */
  moves: readonly Move[];
  /** The old module's resources, each with the name these answers gave it. */
  resources: readonly (OldResource & { builtName?: string })[];
  /** HCL of a name the adopted module builds (ADOPTED_NAMES), and of its two stems. */
  name: (id: string) => string;
  stems: { name: string; iam: string };
  securityGroupDescription: string;
}

const AFFIXES = { prefix: 'var.resource_prefix', suffix: 'var.resource_suffix' } as const;

/** The name an old resource got from these affixes (its template, with the cluster's "--" collapsed as the old module does). */
function builtName(template: string, prefix: string, suffix: string): string {
  const cluster = /^replace\("(.*)", "--", "-"\)$/.exec(template);
  const fill = (text: string): string => text.replace('{prefix}', () => prefix).replace('{suffix}', () => suffix);
  return cluster ? fill(cluster[1] as string).replaceAll('--', '-') : fill(template);
}

/** The adoption these (valid, adopting) answers ask for. */
export function adoption(answers: Answers): Adoption {
  const from = answers.adopt_from as AdoptFrom;
  if (!(ADOPTABLE as readonly string[]).includes(from)) throw new Error(`cannot adopt ${String(from)}`);
  const steps = parseModuleAddress(String(answers.adopt_module_address));
  if (typeof steps === 'string') throw new Error(`adopt_module_address: ${steps}`);
  const oldAddress = hclAddress(steps);
  const newAddress = hclAddress([{ kind: 'module', name: MODULE_CALL }]);
  const prefix = String(answers.resource_prefix);
  const suffix = String(answers.resource_suffix);
  return {
    from,
    source: SOURCE,
    oldAddress,
    throughRoot: steps.length > 1 && steps.at(-1)?.name === SOURCE.rootCall,
    newAddress,
    ...(oldAddress === newAddress ? {} : { callerMove: { from: oldAddress, to: newAddress } }),
    moves: MODULE_MOVES,
    resources: OLD_RESOURCES.map((r) => (r.name === undefined ? r : { ...r, builtName: builtName(r.name, prefix, suffix) })),
    name: (id) => nameHcl(ADOPTED_NAMES, id),
    stems: { name: hclTemplate(ADOPTED_STEMS.name, AFFIXES), iam: hclTemplate(ADOPTED_STEMS.iam, { ...AFFIXES, region: 'local.region' }) },
    securityGroupDescription: KEPT_SECURITY_GROUP_DESCRIPTION,
  };
}
