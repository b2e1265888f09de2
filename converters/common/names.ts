import { createHash } from 'node:crypto';
import type { NameMapping } from '../types.ts';

/**
 * Names made valid for a target, deterministically: the same original always gives the same name.
 * Characters outside the rule become a separator, case is folded as the rule says, and a name that is
 * too long keeps its start and ends in a short hash of the original, so two long names that share a
 * prefix stay distinct. The original is always recorded beside the emitted name (`NameMapping`).
 */
export interface NameRule {
  /** What the name is, for MIGRATION.md: `Lambda function name`. */
  kind: string;
  maxLength: number;
  /** One allowed character (a character class); anything else becomes `separator`. */
  allowed: RegExp;
  separator: string;
  case: 'lower' | 'preserve' | 'pascal';
  /** Prefix added when the name would not start with a letter. */
  letterPrefix: string | null;
  /** The rule as a reviewer reads it, with where it comes from. */
  rule: string;
}

export const NAME_RULES = {
  lambdaFunction: {
    kind: 'Lambda function name',
    maxLength: 64,
    allowed: /[a-zA-Z0-9_-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: '1–64 of a-z A-Z 0-9 _ - (AWS::Lambda::Function FunctionName pattern, ../shared/schemas/cfn-lambda-function.schema.json)',
  },
  cfnLogicalId: {
    kind: 'CloudFormation logical ID',
    maxLength: 64,
    allowed: /[a-zA-Z0-9]/,
    separator: '',
    case: 'pascal',
    letterPrefix: 'W',
    rule: 'alphanumeric, starting with a letter (CloudFormation logical IDs: ^[a-zA-Z0-9]{1,255}$ in ../shared/schemas/serverless.schema.json); kept to 64 to stay readable',
  },
  cfnStack: {
    kind: 'CloudFormation stack / Serverless service name',
    maxLength: 100,
    allowed: /[a-zA-Z0-9-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: 'w-',
    rule: 'a letter, then letters, digits and - (CloudFormation stack names; Serverless names the stack <service>-<stage>, so 100 leaves room for the stage)',
  },
  ecrRepository: {
    kind: 'ECR repository',
    maxLength: 200,
    allowed: /[a-z0-9._/-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: null,
    rule: 'lower-case letters, digits and . _ / - (the Docker image reference grammar that ECR repository names follow)',
  },
  imageTag: {
    kind: 'image tag',
    maxLength: 128,
    allowed: /[A-Za-z0-9_.-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: '1–128 of A-Z a-z 0-9 _ . - (Docker image reference grammar)',
  },
  secretsManager: {
    kind: 'Secrets Manager secret name',
    maxLength: 512,
    allowed: /[A-Za-z0-9/_+=.@-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: 'letters, digits and / _ + = . @ - (AWS Secrets Manager CreateSecret Name)',
  },
  ssmParameter: {
    kind: 'SSM parameter name',
    maxLength: 1011,
    allowed: /[a-zA-Z0-9_./-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: 'letters, digits and _ . - / (AWS Systems Manager PutParameter Name)',
  },
  /** Output folder of one workload: readable in a shell, safe on every file system. */
  slug: {
    kind: 'output folder',
    maxLength: 100,
    allowed: /[a-z0-9.-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: null,
    rule: 'lower-case letters, digits, . and - (safe on every file system)',
  },
  /**
   * Azure names below are not in platform-facts.md g, and the ARM schemas in ../shared/schemas leave them
   * unconstrained: the rules are Microsoft's "Naming rules and restrictions for Azure resources".
   */
  azureFunctionApp: {
    kind: 'Azure function app name',
    maxLength: 60,
    allowed: /[a-z0-9-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: null,
    rule: "2–60 of a-z 0-9 -, not starting or ending with - (Microsoft.Web/sites in Microsoft's Azure resource naming rules; not in platform-facts.md g); lower case because it becomes the host name <name>.azurewebsites.net, which must be globally unique",
  },
  azureStorageAccount: {
    kind: 'Azure storage account name',
    maxLength: 24,
    allowed: /[a-z0-9]/,
    separator: '',
    case: 'lower',
    letterPrefix: null,
    rule: "3–24 lower-case letters and digits, globally unique (Microsoft.Storage/storageAccounts in Microsoft's Azure resource naming rules; not in platform-facts.md g)",
  },
  azureBlobContainer: {
    kind: 'Azure blob container name',
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: null,
    rule: "3–63 of a-z 0-9 -, starting and ending with a letter or digit, no -- (blob containers in Microsoft's Azure resource naming rules)",
  },
  keyVaultSecret: {
    kind: 'Key Vault secret name',
    maxLength: 127,
    allowed: /[a-zA-Z0-9-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: "1–127 of a-z A-Z 0-9 - (Key Vault secret names in Microsoft's Azure resource naming rules): one secret per Kubernetes Secret key",
  },
  /** Kubernetes DNS-1123 label: Knative and Cloud Run service names. */
  dnsLabel: {
    kind: 'DNS-1123 label',
    maxLength: 63,
    allowed: /[a-z0-9-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: 'w-',
    rule: 'lower-case letters, digits and -, starting with a letter, at most 63 (Kubernetes DNS-1123 label)',
  },
  /**
   * Cloud Run names are not in platform-facts.md f. The service name follows the Knative Service rule
   * (a DNS-1035 label), kept to 49 characters: the shorter Cloud Run limit the issue cites, so the name
   * is valid under either.
   */
  cloudRunService: {
    kind: 'Cloud Run service name',
    maxLength: 49,
    allowed: /[a-z0-9-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: 'w-',
    rule: 'a DNS-1035 label (lower-case letters, digits and -, starting with a letter, not ending with -), as Knative Service names; at most 49 characters, the Cloud Run limit cited in the issue (not in platform-facts.md f)',
  },
  secretManagerSecret: {
    kind: 'Secret Manager secret id',
    maxLength: 255,
    allowed: /[A-Za-z0-9_-]/,
    separator: '-',
    case: 'preserve',
    letterPrefix: null,
    rule: 'letters, digits, _ and -, at most 255 (Secret Manager secret ids; not in platform-facts.md f)',
  },
  /** The path of an image inside an Artifact Registry repository (Docker image reference grammar). */
  imageName: {
    kind: 'image name',
    maxLength: 128,
    allowed: /[a-z0-9._/-]/,
    separator: '-',
    case: 'lower',
    letterPrefix: null,
    rule: 'lower-case letters, digits and . _ / - (Docker image reference grammar)',
  },
} as const satisfies Record<string, NameRule>;

const HASH_LENGTH = 6;

export function sanitizeName(original: string, rule: NameRule): string {
  const folded = rule.case === 'lower' ? original.toLowerCase() : original;
  let name =
    rule.case === 'pascal'
      ? pascal(original, rule)
      : [...folded].map((char) => (rule.allowed.test(char) ? char : rule.separator)).join('');
  if (rule.separator) {
    // Runs of separators and separators at the ends carry no meaning once characters are replaced.
    const sep = escapeRegExp(rule.separator);
    name = name.replace(new RegExp(`(${sep})+`, 'g'), rule.separator);
    name = name.replace(new RegExp(`^(${sep})+|(${sep})+$`, 'g'), '');
  }
  if (name === '') name = 'w';
  if (rule.letterPrefix && !/^[a-zA-Z]/.test(name)) name = `${rule.letterPrefix}${name}`;
  if (name.length > rule.maxLength) {
    const hash = createHash('sha256').update(original).digest('hex').slice(0, HASH_LENGTH);
    const keep = rule.maxLength - HASH_LENGTH - rule.separator.length;
    let head = name.slice(0, keep);
    if (rule.separator) head = head.replace(new RegExp(`(${escapeRegExp(rule.separator)})+$`), '');
    name = `${head}${rule.separator}${hash}`;
  }
  return name;
}

/** The emitted name and the mapping that records it. */
export function mapName(original: string, rule: NameRule): { name: string; mapping: NameMapping } {
  const name = sanitizeName(original, rule);
  return { name, mapping: { kind: rule.kind, original, emitted: name, rule: rule.rule } };
}

/** `ml/Deployment/embeddings-worker` → `ml-deployment-embeddings-worker`: one workload's output folder. */
export function workloadSlug(workload: { namespace: string; kind: string; name: string }): string {
  return sanitizeName(`${workload.namespace}-${workload.kind}-${workload.name}`, NAME_RULES.slug);
}

function pascal(original: string, rule: NameRule): string {
  return original
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')
    .split('')
    .filter((char) => rule.allowed.test(char))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
