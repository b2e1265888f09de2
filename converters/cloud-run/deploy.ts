import type { WorkloadReport } from '../../analyzers/report.ts';
import type { ConfigEntry, SecretEntry } from './environment.ts';
import { ENVSUBST, PLACEHOLDERS } from './image.ts';
import { GPU_REGIONS } from './limits.ts';
import type { CloudRunPlan } from './plan.ts';

/**
 * How to deploy and roll back, as gcloud commands a reviewer can run. Secret values travel from the
 * cluster straight into Secret Manager in a pipe; they never pass through migrate or its files.
 */
export function cloudRunDeploy(
  plan: CloudRunPlan,
  workload: WorkloadReport,
): { steps: string[]; rollback: string[] } {
  const svc = plan.serviceName;
  const region = '--region "$REGION"';
  const steps: string[] = [
    `Choose the project and region${plan.gpu ? ` (a region with ${plan.gpu.model} GPUs: ${GPU_REGIONS}; request GPU quota there first)` : ''}: \`export PROJECT_ID=<project> REGION=<region>\`, \`gcloud config set project "$PROJECT_ID"\`.`,
    ...secretCommands(plan.secrets),
    ...configCommands(plan.configs),
    ...imageCommands(plan),
  ];
  const placeholders = plan.image.reference.includes(PLACEHOLDERS.region);
  steps.push(
    placeholders
      ? `Deploy: \`${ENVSUBST}\` (fills the image path), then \`gcloud run services replace service.deploy.yaml ${region}\`.`
      : `Deploy: \`gcloud run services replace service.yaml ${region}\`.`,
    `Let the callers in (the service requires IAM authentication, like a cluster-internal Service): \`gcloud run services add-iam-policy-binding ${svc} ${region} --member=<principal> --role=roles/run.invoker\`.`,
    `Test it: \`curl -H "Authorization: Bearer $(gcloud auth print-identity-token)" "$(gcloud run services describe ${svc} ${region} --format='value(status.url)')${plan.startup.httpGet?.path ?? '/'}"\`.`,
    `Move traffic over gradually and keep ${workload.id} running on the cluster until the service meets its latency and error targets.`,
  );
  return {
    steps,
    rollback: [
      `Traffic: point clients back at the cluster's endpoint; ${workload.id} was left running.`,
      `Revision: every deploy creates a revision; send all traffic back to the previous one, immediately: \`gcloud run revisions list --service ${svc} ${region}\`, then \`gcloud run services update-traffic ${svc} ${region} --to-revisions <previous-revision>=100\`. The next \`gcloud run services replace\` moves traffic to its new revision again (traffic: latestRevision).`,
      `Everything: \`gcloud run services delete ${svc} ${region}\`${plan.secrets.length ? `, and \`gcloud secrets delete <secret>\` for each secret created above` : ''}.`,
    ],
  };
}

/** One Secret Manager secret per Kubernetes Secret key, readable by the revision's service account. */
function secretCommands(secrets: readonly SecretEntry[]): string[] {
  return secrets.map(
    (secret) =>
      `Create the secret ${secret.name} from the cluster's copy without printing it: \`kubectl get secret ${secret.from.name} -n ${secret.from.namespace} -o go-template='{{index .data "${secret.from.key}"}}' | base64 -d | gcloud secrets create ${secret.name} --replication-policy=automatic --data-file=-\`, then let the service read it: \`gcloud secrets add-iam-policy-binding ${secret.name} --member="serviceAccount:$SERVICE_ACCOUNT" --role=roles/secretmanager.secretAccessor\` ($SERVICE_ACCOUNT: the revision's service account, by default the project's default compute service account).`,
  );
}

/** ConfigMap values are not read by migrate: print them so the reviewer can add them as literals. */
function configCommands(configs: readonly ConfigEntry[]): string[] {
  const maps = new Map<string, ConfigEntry[]>();
  for (const config of configs) {
    const key = `${config.namespace}/${config.configMap}`;
    maps.set(key, [...(maps.get(key) ?? []), config]);
  }
  return [...maps.values()].map((entries) => {
    const { namespace, configMap } = entries[0]!;
    return `Add ${entries.map((entry) => entry.variable).join(', ')} to env in service.yaml as literals, with the values of ConfigMap ${namespace}/${configMap}: \`kubectl get configmap ${configMap} -n ${namespace} -o go-template='{{range $k, $v := .data}}{{$k}}={{$v}}{{"\\n"}}{{end}}'\`.`;
  });
}

function imageCommands(plan: CloudRunPlan): string[] {
  const image = plan.image;
  if (image.kind === 'pod') return [];
  const target = image.reference
    .replace(PLACEHOLDERS.region, '$REGION')
    .replace(PLACEHOLDERS.project, '$PROJECT_ID');
  const repository = `Create the Artifact Registry repository once: \`gcloud artifacts repositories create ${image.repository} --repository-format=docker --location="$REGION"\`.`;
  switch (image.kind) {
    case 'copy':
      return [
        repository,
        `Copy the image: \`gcloud auth configure-docker "$REGION-docker.pkg.dev"\`, then \`crane copy ${image.original} "${target}"\` (keeps the digest; or \`docker pull\`, \`docker tag\`, \`docker push\`).`,
      ];
    case 'build':
      return [
        repository,
        `Build the image that serves the model (see Notes) and push it: \`docker build -t "${target}" .\`, \`docker push "${target}"\`.`,
      ];
    case 'scaffold':
      return [
        repository,
        `Build the server scaffold in this folder with buildpacks (they run its gcp-build script) and push it: \`gcloud builds submit --pack image="${target}" .\`.`,
      ];
  }
}
