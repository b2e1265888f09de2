import type { WorkloadReport } from '../../analyzers/report.ts';
import { APP_CONFIG_PARAM, type StoreEntry, VAULT_PARAM } from './environment.ts';
import { hasServeFunction } from './host.ts';
import type { AzurePlan } from './plan.ts';

const RG = '<resource-group>';

/**
 * How to deploy and roll back, as commands a reviewer can run. Secret values travel from the cluster
 * straight into Key Vault in a pipe (never on a command line); they never pass through migrate.
 */
export function azureDeploy(
  plan: AzurePlan,
  workload: WorkloadReport,
): { steps: string[]; rollback: string[] } {
  const app = plan.names.app;
  const steps: string[] = [...storeCommands(plan.stores)];
  const parameters = [
    plan.stores.some((entry) => entry.store === 'keyvault') ? `${VAULT_PARAM}=<vault>` : null,
    plan.stores.some((entry) => entry.store === 'appconfig') ? `${APP_CONFIG_PARAM}=<store>` : null,
  ].filter(Boolean);
  const withParameters = parameters.length ? ` --parameters ${parameters.join(' ')}` : '';
  steps.push(
    `Create a resource group for the app alone (roll back is then one command): \`az group create --name ${RG} --location <region>\`.`,
    `Preview, then deploy the template: \`az deployment group what-if --resource-group ${RG} --template-file main.bicep${withParameters}\`, then \`az deployment group create --resource-group ${RG} --template-file main.bicep${withParameters}\` (or \`--template-file azuredeploy.json\`; same deployment). The output principalId is the app's identity.`,
  );
  for (const grant of grants(plan.stores, app)) steps.push(grant);
  if (plan.model.kind === 'files')
    steps.push(
      `Mount the model share: \`az webapp config storage-account add --resource-group ${RG} --name ${app} --custom-id model --storage-type AzureFiles --account-name <account> --share-name <share> --access-key "$(az storage account keys list --account-name <account> --query [0].value -o tsv)" --mount-path ${plan.model.mountPath}\`.`,
    );
  steps.push(publishStep(plan));
  steps.push(testStep(plan));
  steps.push(
    `Move traffic over gradually and keep ${workload.id} running on the cluster until the app meets its latency and error targets (Application Insights ${plan.names.insights} shows both, cold starts included).`,
  );
  return {
    steps,
    rollback: [
      `Traffic: point clients back at the cluster's endpoint; ${workload.id} was left running.`,
      `Code: publish the previous build again from its folder (\`func azure functionapp publish ${app}\`)${plan.hosting.kind === 'premium' ? ', or swap back a deployment slot if you deploy through one' : ''}.`,
      `Everything: \`az group delete --name ${RG}\` removes the app, its plan, storage and monitoring (the group holds nothing else); secrets in Key Vault stay until you delete them.`,
    ],
  };
}

function publishStep(plan: AzurePlan): string {
  const publish = `\`func azure functionapp publish ${plan.names.app}\``;
  const packaging = plan.packaging;
  if (packaging.kind === 'scaffold')
    return `Build and publish the handler from this folder: \`npm ci\` (.npmrc skips the CUDA download), \`npm run build\`, then ${publish}.`;
  if (packaging.runtime.name === 'python')
    return `Write function_app.py and requirements.txt (see Notes) in this folder, then ${publish}.`;
  return `Copy the server (${packaging.executable}) and what it loads into this folder (see Notes), then ${publish}.`;
}

function testStep(plan: AzurePlan): string {
  if (!plan.http)
    return 'Add the trigger (see Notes), then send one message of real work and watch it in Application Insights.';
  const path =
    plan.packaging.kind === 'scaffold'
      ? '/api/predict'
      : hasServeFunction(plan)
        ? '/<a path the server served on the cluster>'
        : '/api/<your function>';
  return `Test it: \`az functionapp keys list --resource-group ${RG} --name ${plan.names.app}\` gives the default function key; \`curl -X POST "https://<defaultHostName>${path}?code=<key>" -H 'Content-Type: application/json' -d @request.json\`.`;
}

/** One command per Key Vault secret and App Configuration key, reading the cluster's copy without printing it. */
function storeCommands(stores: readonly StoreEntry[]): string[] {
  return stores.map((entry) => {
    const jsonPath = `{.data.${entry.from.key.replace(/\./g, '\\.')}}`;
    return entry.store === 'keyvault'
      ? `Create the secret from the cluster's copy without printing it: \`kubectl get secret ${entry.from.name} -n ${entry.from.namespace} -o jsonpath='${jsonPath}' | base64 -d | az keyvault secret set --vault-name <vault> --name ${entry.name} --file /dev/stdin\`.`
      : `Create the configuration key: \`az appconfig kv set --name <store> --key ${entry.name} --value "$(kubectl get configmap ${entry.from.name} -n ${entry.from.namespace} -o jsonpath='${jsonPath}')" --yes\`.`;
  });
}

function grants(stores: readonly StoreEntry[], app: string): string[] {
  const list: string[] = [];
  const assignee = '--assignee-object-id <principalId> --assignee-principal-type ServicePrincipal';
  if (stores.some((entry) => entry.store === 'keyvault'))
    list.push(
      `Let the app read its secrets: \`az role assignment create ${assignee} --role "Key Vault Secrets User" --scope "$(az keyvault show --name <vault> --query id -o tsv)"\` (a vault using access policies instead: \`az keyvault set-policy --name <vault> --object-id <principalId> --secret-permissions get\`).`,
    );
  if (stores.some((entry) => entry.store === 'appconfig'))
    list.push(
      `Let the app read its configuration: \`az role assignment create ${assignee} --role "App Configuration Data Reader" --scope "$(az appconfig show --name <store> --query id -o tsv)"\`.`,
    );
  if (list.length)
    list.push(
      `Restart the app so it resolves the references with the new access: \`az functionapp restart --resource-group ${RG} --name ${app}\`.`,
    );
  return list;
}
