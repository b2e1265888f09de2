import type { WorkloadReport } from '../../analyzers/report.ts';
import type { StoreEntry } from './environment.ts';
import type { LambdaPlan } from './plan.ts';
import { SERVERLESS_PARAMS } from './serverless.ts';
import { PARAMETERS } from './template.ts';

const REGISTRY = '<account>.dkr.ecr.<region>.amazonaws.com';

/**
 * How to deploy and roll back, as commands a reviewer can run. Secret values travel from the cluster
 * straight to the AWS store in a pipe; they never pass through migrate or its files.
 */
export function lambdaDeploy(
  plan: LambdaPlan,
  workload: WorkloadReport,
): { steps: string[]; rollback: string[] } {
  const steps: string[] = [];
  for (const command of storeCommands(plan.stores)) steps.push(command);
  const packaging = plan.packaging;
  if (packaging.kind === 'zip') {
    steps.push(
      'Build the handler in this folder: `npm ci` (.npmrc skips the CUDA download), `npm run build`, `npm prune --omit=dev`, `npm run prune-ort` (keeps only the Linux binaries so the package fits).',
    );
  } else {
    const image = `${packaging.repository}:${packaging.tag}`;
    steps.push(
      `Build the Lambda image (see Notes) and push it: \`aws ecr create-repository --repository-name ${packaging.repository}\`, \`aws ecr get-login-password | docker login --username AWS --password-stdin ${REGISTRY}\`, \`docker build -t ${REGISTRY}/${image} .\`, \`docker push ${REGISTRY}/${image}\`.`,
    );
  }
  const efs = plan.model.kind === 'efs';
  if (efs) steps.push('Copy the model to EFS and create an access point (see Notes).');
  const samParameters = efs
    ? ` --parameter-overrides ${PARAMETERS.accessPoint}=<access-point-arn> ${PARAMETERS.subnets}=<subnet-a>,<subnet-b> ${PARAMETERS.securityGroups}=<sg>`
    : '';
  steps.push(
    `Deploy with AWS SAM from this folder: \`sam validate --lint\`, then \`sam deploy --guided --stack-name ${plan.service} --capabilities CAPABILITY_IAM${samParameters}\` (guided mode saves the answers in samconfig.toml for the next \`sam deploy\`${packaging.kind === 'zip' ? '; it zips this folder as built, so skip `sam build`' : ''}).`,
  );
  const slsParameters = efs
    ? ` --param="${SERVERLESS_PARAMS.accessPoint}=<access-point-arn>" --param="${SERVERLESS_PARAMS.subnetA}=<subnet-a>" --param="${SERVERLESS_PARAMS.subnetB}=<subnet-b>" --param="${SERVERLESS_PARAMS.securityGroup}=<sg>"`
    : '';
  steps.push(`Or with the Serverless Framework instead: \`serverless deploy --stage prod${slsParameters}\`.`);
  steps.push(
    plan.url
      ? `Test the live alias: \`aws cloudformation describe-stacks --stack-name ${plan.service} --query "Stacks[0].Outputs"\` gives FunctionUrl; call it with SigV4-signed requests (e.g. \`awscurl --service lambda -X POST "$FUNCTION_URL" -d @request.json\`).`
      : `Test the live alias: \`aws lambda invoke --function-name ${plan.functionName}:${plan.alias} --payload fileb://event.json out.json\`.`,
  );
  steps.push(
    `Move traffic over gradually and keep ${workload.id} running on the cluster until the function meets its latency and error targets.`,
  );
  return {
    steps,
    rollback: [
      `Traffic: point clients back at the cluster's endpoint; ${workload.id} was left running.`,
      `Code: point the ${plan.alias} alias at the previous version, immediately: \`aws lambda list-versions-by-function --function-name ${plan.functionName}\`, then \`aws lambda update-alias --function-name ${plan.functionName} --name ${plan.alias} --function-version <previous>\`; redeploy the previous ${packaging.kind === 'zip' ? 'build' : 'image tag'} afterwards so CloudFormation agrees.`,
      `Everything: \`sam delete --stack-name ${plan.service}\` (Serverless Framework: \`serverless rollback --timestamp <t>\` with a timestamp from \`serverless deploy list\`, or \`serverless remove\`).`,
    ],
  };
}

/** One command per Secrets Manager secret (all its keys at once) and per SSM parameter. */
function storeCommands(stores: readonly StoreEntry[]): string[] {
  const commands: string[] = [];
  const secrets = new Map<string, StoreEntry>();
  for (const entry of stores) if (entry.store === 'secretsmanager') secrets.set(entry.name, entry);
  for (const entry of secrets.values())
    commands.push(
      `Create the secret from the cluster's copy without printing it: \`aws secretsmanager create-secret --name ${entry.name} --secret-string "$(kubectl get secret ${entry.from.name} -n ${entry.from.namespace} -o json | jq -c '.data | map_values(@base64d)')"\`.`,
    );
  for (const entry of stores.filter((store) => store.store === 'ssm'))
    commands.push(
      `Create the parameter: \`aws ssm put-parameter --name ${entry.name} --type String --value "$(kubectl get configmap ${entry.from.name} -n ${entry.from.namespace} -o jsonpath='{.data.${entry.from.key}}')"\`.`,
    );
  return commands;
}
