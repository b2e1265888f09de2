import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { startupAllowance } from '../aws-lambda/sizing.ts';
import type { NotCarriedWords } from '../common/not-carried.ts';
import { APP_CONFIG_PARAM, type StoreEntry, VAULT_PARAM } from './environment.ts';
import type { ScaffoldState } from './packaging.ts';
import type { AzurePlan } from './plan.ts';
import { FACTS } from './sizing.ts';

const INIT_SECONDS = TARGET_LIMITS['azure-functions'].initTimeoutSeconds!;

/** What the Azure Functions converter says about each kind of thing the pod had and the app does not. */
export function azureWords(plan: AzurePlan): NotCarriedWords {
  const custom = plan.packaging.runtime.name === 'custom';
  return {
    sidecar:
      "a function app runs its worker (or custom handler) only: fold the sidecar's job into the app, or run it as its own service (Azure Container Apps)",
    init: `a function app has no init containers: do this work when building the package, or at start-up (Flex allows ${INIT_SECONDS} s to initialise the app, ${FACTS})`,
    extraMain: 'convert it as a function app of its own, or merge it into this one',
    component:
      'convert it as a function app of its own (`migrate convert --workload …`) or fold it into this one',
    volume:
      'a function app has no volumes: ship read-only files in the package, mount an Azure Files share for shared files (`az webapp config storage-account add`), use Blob Storage for objects',
    probes:
      'the Functions host decides when an instance is ready: load the model at start-up (module scope) and keep always-ready instances so requests do not wait for it; a warmup trigger runs on each new instance before it takes traffic (not on the Consumption plan)',
    ports: custom
      ? 'the custom handler listens on the port in FUNCTIONS_CUSTOMHANDLER_PORT and the host forwards requests to it (see host.json in Settings)'
      : 'a function has no port: requests arrive through the HTTP trigger at /api/…',
    command: custom
      ? 'the command line became host.json customHandler (see Settings); the executable and what it loads must be in the deployment package'
      : "the function app's code replaces the server's command: flags the server took become app settings or code",
    autoscaler: `the scale controller adds instances ${plan.http ? 'for HTTP load at most once per second' : 'for non-HTTP triggers at most once every 30 seconds'} (${FACTS}): the cluster's minimum became always-ready instances and its maximum ${plan.hosting.kind === 'flex' ? 'maximumInstanceCount' : 'maximumElasticWorkerCount'} (see Settings)`,
    scheduling: `Azure places instances itself; the only hardware choice is the instance size (${plan.hosting.kind === 'flex' ? 'Flex instanceMemoryMB' : 'the Premium SKU'})`,
    identity:
      'the app runs as its system-assigned managed identity: grant it what the pod could reach (Blob Storage, queues, databases) with role assignments',
    entry: plan.http
      ? "the app's HTTPS endpoint (output defaultHostName; a function key is required) replaces it: point clients at it, or put API Management or Front Door in front for a custom domain"
      : 'no HTTP entry was generated (the pods declared no port): add an HTTP trigger if clients call it over HTTP',
  };
}

const TRIGGERS: Record<string, string> = {
  rabbitmq: `a RabbitMQ trigger (an extension: check it runs on your plan), or move the queue to Azure Service Bus or Storage queues, whose triggers scale by target (${FACTS})`,
  'aws-sqs-queue': `a Storage queue or Service Bus trigger, once the queue moves to Azure (target-based scaling, ${FACTS})`,
  kafka: `a Kafka trigger (target-based scaling, ${FACTS})`,
  'azure-servicebus': `a Service Bus trigger (target-based scaling, ${FACTS})`,
  'azure-queue': `a Storage queue trigger (target-based scaling, ${FACTS})`,
  cron: 'a timer trigger',
};

/** Notes a reviewer must act on: the package, the stores, start-up time, the model, the trigger. */
export function azureNotes(plan: AzurePlan, workload: WorkloadReport): string[] {
  const notes: string[] = [...packagingNotes(plan)];
  if (plan.stores.length) notes.push(storesNote(plan.stores));
  const startup = startupAllowance(workload);
  if (startup && startup.seconds > INIT_SECONDS && plan.hosting.kind === 'flex')
    notes.push(
      `The server may take up to ${startup.seconds} s to start (${startup.source}); Flex Consumption allows ${INIT_SECONDS} s to initialise an app (${FACTS}): start loading the model in the background (as the scaffold does) so start-up returns in time, and keep always-ready instances so requests rarely wait for it.`,
    );
  notes.push(...modelNotes(plan));
  if (!plan.http && workload.autoscaling.kind === 'keda')
    for (const metric of workload.autoscaling.metrics)
      notes.push(
        `KEDA scaled it on ${metric.type} ${metric.name}: connect the app to that work with ${TRIGGERS[metric.type] ?? 'a trigger that delivers the same work (Service Bus, Storage queues, Event Hubs)'}; the app has no trigger yet, so nothing invokes it until you add one.`,
      );
  if (plan.hosting.kind === 'premium')
    notes.push(
      `Premium plan: prewarmed instances (preWarmedInstanceCount) are left at the platform's default: how they behave is not in ${FACTS}. Deployment slots (blue-green) are available on Premium if you want them.`,
    );
  notes.push('main.bicep and azuredeploy.json describe the same deployment: deploy one of them, not both.');
  return notes;
}

function storesNote(stores: readonly StoreEntry[]): string {
  const vault = stores.filter((entry) => entry.store === 'keyvault').map((entry) => entry.name);
  const config = stores.filter((entry) => entry.store === 'appconfig').map((entry) => entry.name);
  const parts = [
    vault.length
      ? `Key Vault secrets ${vault.join(', ')} (vault: parameter ${VAULT_PARAM}; grant the app's identity Key Vault Secrets User)`
      : null,
    config.length
      ? `App Configuration keys ${config.join(', ')} (store: parameter ${APP_CONFIG_PARAM}; grant App Configuration Data Reader)`
      : null,
  ].filter(Boolean);
  return `Secrets and ConfigMap keys are referenced, not copied: ${parts.join('; ')}. Create them and grant the access before the app starts (commands under Deploy): until then a reference does not resolve and the setting holds the reference text. The platform resolves the references with the app's managed identity; the values never pass through these files.`;
}

function packagingNotes(plan: AzurePlan): string[] {
  const packaging = plan.packaging;
  if (packaging.kind === 'scaffold') {
    const notes = [
      `The app runs the ONNX handler scaffold written beside this page (src/function.ts, shared/model-cache.ts, README.md) on Node.js ${packaging.runtime.version}, not the pod's ${packaging.original ? `image ${packaging.original}` : 'serving runtime'}: it loads the model from MODEL_URI once per worker and answers POST /api/predict with {"inputs": [[…]]}. host.json is the converter's (it keeps the scaffold's extension bundle).`,
    ];
    if (/\.blob\.core\.windows\.net\//.test(packaging.modelUri))
      notes.push(
        "MODEL_URI is a Blob Storage URL: the scaffold's default fetcher reads it only with a SAS token in the URL; otherwise register a fetcher that uses the app's identity (setModelFetcher in shared/model-cache.ts).",
      );
    return notes;
  }
  const image = packaging.original
    ? `the pod's image ${packaging.original}`
    : 'the serving platform the pod ran on';
  if (packaging.runtime.name === 'python')
    return [
      `Write the Python function app: the pod's server does not run as is, Functions calls a handler. Add function_app.py (v2 programming model) with an HTTP function that loads the model once per worker (module scope) and predicts, and requirements.txt with what ${image} installed; \`func azure functionapp publish\` builds the dependencies remotely.`,
      SCAFFOLD_NOTES[packaging.scaffold],
    ];
  return [
    `The host starts ${packaging.executable} as a custom handler: put the server's executable and its libraries in this folder (the deployment package, built for Linux x64) — ${plan.hosting.kind === 'flex' ? 'Flex Consumption runs code packages, not images' : 'the package runs on the Functions host'}, so they come out of ${image}. The server must listen on the port in FUNCTIONS_CUSTOMHANDLER_PORT. If it cannot be packaged this way, run the image on Azure Container Apps instead (see Recommendations).`,
    SCAFFOLD_NOTES[packaging.scaffold],
  ];
}

const SCAFFOLD_NOTES: Record<ScaffoldState, string> = {
  missing:
    'No handler scaffold: converters/cold-start/scaffolds is not part of this build of migrate. Write the handler yourself: load the model once per worker, serve many requests.',
  'not-onnx':
    'No handler scaffold: the onnxruntime-node scaffold (docs/scaffolds.md) serves ONNX models, and this model is not known to be one. After converting it to ONNX (see Recommendations), point the manifest at the .onnx file on a volume or an https:// URL and convert again to get a Node.js function app with a ready handler.',
  unreachable:
    'No handler scaffold: the model is ONNX but the scaffold reads paths and https:// only; put it on a volume (Azure Files) or behind an https:// URL (a Blob SAS URL), then convert again.',
  empty: 'No handler scaffold: the scaffold module returned no files for azure-functions.',
};

function modelNotes(plan: AzurePlan): string[] {
  const model = plan.model;
  switch (model.kind) {
    case 'files':
      return [
        `The model volume becomes an Azure Files share: copy the contents of ${model.claim ? `PVC ${model.claim}` : `volume ${model.volume}`} to a share (azcopy, or from a pod that mounts both) and mount it at ${model.mountPath} after deploying (Deploy). The mount is not in the template: the share's account and key are yours to choose.`,
      ];
    case 'download': {
      if (model.scheme === 'gcs' || model.scheme === 's3')
        return [
          `The model is read from ${model.uri}, outside Azure: copy it to Blob Storage (or into the package); the app has no credentials for that store.`,
        ];
      if (model.scheme === 'azure')
        return [
          `The model is read from Blob Storage (${model.uri}): grant the app's identity Storage Blob Data Reader on that account, or use a SAS https:// URL.`,
        ];
      if (model.scheme === 'hf')
        return [
          `The model ${model.uri} is fetched from the Hugging Face Hub at start-up, on every new instance; with a gated model, its token must be in the settings (see Settings). Shipping it in the package or on Azure Files avoids the download.`,
        ];
      return [`The model is downloaded from ${model.uri} at start-up, on every new instance.`];
    }
    case 'package':
      return [`The model is ${model.uri}: put it in the deployment package.`];
    case 'unknown':
      return model.uri
        ? [
            `The manifests name the model ${model.uri} but not where it is stored: make sure the app can reach it.`,
          ]
        : [];
  }
}
