import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { mainContainers } from '../common/environment.ts';
import type { NotCarriedWords } from '../common/not-carried.ts';
import type { StoreEntry } from './environment.ts';
import type { ScaffoldState } from './packaging.ts';
import type { LambdaPlan } from './plan.ts';
import { INIT_LIMIT_SECONDS, startupAllowance } from './sizing.ts';

/** What the Lambda converter says about each kind of thing the pod had and the function does not. */
export function lambdaWords(plan: LambdaPlan): NotCarriedWords {
  return {
    sidecar:
      "Lambda runs one image per function: fold the sidecar's job into the handler or a Lambda extension baked into the image, or run it as its own service",
    init: `Lambda has no init containers: do this work when building the image, or in the function's Init (module scope), which is limited to ${INIT_LIMIT_SECONDS} s`,
    extraMain: 'convert it as a function of its own, or merge it into the handler',
    component:
      'convert it as a function of its own (`migrate convert --workload …`) or fold it into the handler',
    volume:
      'Lambda has no volumes: bake read-only files into the image, use /tmp (EphemeralStorage) for scratch, EFS (FileSystemConfigs) for shared files, S3 for objects',
    probes:
      "Lambda probes nothing: an execution environment is ready when Init returns. The probe's start-up allowance is kept in Timeout (see Settings); load the model in Init so requests do not wait for it",
    ports:
      'a function has no port: each request arrives as an event (the Function URL payload). Keep the HTTP interface with an adapter in the image, or call the model from a handler',
    command:
      "the image's CMD must name the Lambda handler (Lambda base image) or start the Runtime Interface Client; flags the server took become environment variables or handler configuration",
    autoscaler:
      'Lambda scales per request, one request per execution environment: the minimum became provisioned concurrency and the maximum × per-pod concurrency ReservedConcurrentExecutions (see Settings)',
    scheduling:
      'Lambda places execution environments itself; the only hardware choices are Architectures and MemorySize (which sets the CPU)',
    identity:
      'the function runs as the execution role SAM creates: grant it what the pod could reach (S3, DynamoDB, queues, …) under Policies',
    entry: plan.url
      ? 'the Function URL (output FunctionUrl) replaces it: point clients at it, or put API Gateway or CloudFront in front for a custom domain'
      : 'no HTTP entry was generated (the pods declared no port): add a FunctionUrlConfig or an HttpApi event if clients call it over HTTP',
  };
}

const EVENT_SOURCES: Record<string, string> = {
  rabbitmq: 'an Amazon MQ for RabbitMQ event source (SAM event type MQ), once the broker runs on Amazon MQ',
  'aws-sqs-queue': 'an SQS event source (SAM event type SQS)',
  kafka: 'an MSK or self-managed Kafka event source (SAM event types MSK, SelfManagedKafka)',
  'aws-kinesis-stream': 'a Kinesis event source (SAM event type Kinesis)',
  cron: 'a schedule (SAM event type ScheduleV2)',
};

/** Notes a reviewer must act on: the package, the stores, start-up time, the model, the event source. */
export function lambdaNotes(plan: LambdaPlan, workload: WorkloadReport): string[] {
  const notes: string[] = [...packagingNotes(plan)];
  if (plan.stores.length)
    notes.push(
      `Secrets and ConfigMap keys are referenced, not copied: ${describeStores(plan.stores)}. Create them before deploying (commands under Deploy). CloudFormation resolves {{resolve:…}} at deploy time and Lambda keeps the resolved value in the function's configuration, readable by anyone allowed lambda:GetFunctionConfiguration; to keep secrets out of it, read them at start-up with the AWS SDK instead and grant secretsmanager:GetSecretValue.`,
    );
  const startup = startupAllowance(workload);
  if (startup && startup.seconds > INIT_LIMIT_SECONDS)
    notes.push(
      `The server may take up to ${startup.seconds} s to start (${startup.source}); Lambda's Init is limited to ${INIT_LIMIT_SECONDS} s and is then retried inside the first invocation, whose Timeout must cover it (see Settings). Provisioned concurrency runs Init before traffic arrives.`,
    );
  notes.push(...modelNotes(plan, workload));
  if (!plan.url && workload.autoscaling.kind === 'keda') {
    for (const metric of workload.autoscaling.metrics)
      notes.push(
        `KEDA scaled it on ${metric.type} ${metric.name}: connect the function to that work with ${EVENT_SOURCES[metric.type] ?? 'an event source that delivers the same work (SQS, Kinesis, EventBridge)'}; the template has no event yet, so nothing invokes it until you add one.`,
      );
  }
  notes.push(
    'template.yaml (AWS SAM) and serverless.yml (Serverless Framework) describe the same function: deploy one of them, not both, since they share the function name.',
  );
  return notes;
}

function packagingNotes(plan: LambdaPlan): string[] {
  const packaging = plan.packaging;
  if (packaging.kind === 'zip') {
    const notes = [
      `The function runs the ONNX handler scaffold written beside this page (src/handler.ts, shared/model-cache.ts, README.md) on Node.js, not the pod's ${packaging.original ? `image ${packaging.original}` : 'serving runtime'}: it loads the model from MODEL_URI once, in Init, and answers POST {"inputs": [[…]]}. Build it before deploying (see Deploy); the package must fit ${TARGET_LIMITS['aws-lambda'].sources.package}.`,
    ];
    if (packaging.modelUri.startsWith('s3://'))
      notes.push(
        "MODEL_URI is an s3:// URI: the scaffold's default fetcher reads paths, file:// and https:// only, so register the S3 fetcher shown in shared/model-cache.ts (setModelFetcher), or use a pre-signed https:// URL.",
      );
    return notes;
  }
  const image = packaging.original
    ? `Rebuild ${packaging.original} for Lambda`
    : 'The pod names no image of its own (its serving platform supplies the runtime): build a Lambda image that serves the model';
  return [
    `${image}: either start FROM a Lambda base image (for Python, public.ecr.aws/lambda/python:3.12) with CMD naming the handler, or add the Runtime Interface Client to the current image (Python: pip install awslambdaric; ENTRYPOINT python -m awslambdaric; CMD the handler). Lambda calls a handler, it does not send traffic to the server's port. Push it to Amazon ECR as ${packaging.repository}:${packaging.tag}: both files use that URI.`,
    SCAFFOLD_NOTES[packaging.scaffold](plan.model),
  ];
}

const SCAFFOLD_NOTES: Record<ScaffoldState, (model: LambdaPlan['model']) => string> = {
  missing: () =>
    'No handler scaffold: converters/cold-start/scaffolds is not part of this build of migrate. Write the handler yourself: load the model in module scope (Init), serve one request per call.',
  'not-onnx': () =>
    'No handler scaffold: the onnxruntime-node scaffold (docs/scaffolds.md) serves ONNX models, and this model is not known to be one. After converting it to ONNX (see Recommendations), point the manifest at the .onnx file and convert again to get a Node.js zip function with a ready handler.',
  unreachable: (model) =>
    `No handler scaffold: the model is ONNX but the scaffold cannot fetch it from ${model.kind === 'tmp' || model.kind === 'image' || model.kind === 'unknown' ? model.uri : 'where it is'}; copy it to S3, an https:// URL or EFS, then convert again.`,
  empty: () => 'No handler scaffold: the scaffold module returned no files for aws-lambda.',
};

function modelNotes(plan: LambdaPlan, workload: WorkloadReport): string[] {
  const model = plan.model;
  switch (model.kind) {
    case 'efs': {
      const args = mainContainers(workload)
        .flatMap((container) => [...container.command, ...container.args])
        .filter((arg) => arg.includes(model.mountPath));
      return [
        `The model volume becomes EFS: copy the contents of ${model.claim ? `PVC ${model.claim}` : `volume ${model.volume}`} to an EFS file system (from a pod that mounts both, or with AWS DataSync), create an access point, and pass its ARN with subnets and security groups as parameters. The path changes from ${model.mountPath} to ${model.localMountPath}${args.length ? `: update ${args.map((arg) => `\`${arg}\``).join(', ')}` : ''}.`,
        'With EFS the function runs in your VPC: it reaches the internet and AWS APIs only through a NAT gateway or VPC endpoints.',
      ];
    }
    case 'tmp': {
      const notes: string[] = [];
      if (model.scheme === 'gcs' || model.scheme === 'azure')
        notes.push(
          `The model is read from ${model.uri}, outside AWS: copy it to S3 or into the image; the function has no credentials for that store.`,
        );
      if (model.scheme === 's3')
        notes.push(`The function may read bucket ${plan.s3Bucket} (S3ReadPolicy) to fetch ${model.uri}.`);
      if (model.scheme === 'hf')
        notes.push(
          `The model ${model.uri} is fetched from the Hugging Face Hub at start-up into HF_HOME=/tmp/huggingface; with a gated model, its token must be in the environment (see Settings). Baking it into the image avoids the download.`,
        );
      if (model.sizeBytes === null)
        notes.push(
          "The model's size is not in the analysis, so EphemeralStorage stays at Lambda's 512 MB default: if the model needs more room in /tmp, set EphemeralStorage.Size to its size + 512 MB (at most 10,240 MB) in both files.",
        );
      return notes;
    }
    case 'image':
      return [`The model is ${model.uri}: copy it into the Lambda image at build time.`];
    case 'unknown':
      return model.uri
        ? [
            `The manifests name the model ${model.uri} but not where it is stored: make sure the image or the start-up code can reach it.`,
          ]
        : [];
  }
}

function describeStores(stores: readonly StoreEntry[]): string {
  return stores
    .map((entry) =>
      entry.store === 'secretsmanager'
        ? `Secrets Manager ${entry.name} (key ${entry.key})`
        : `SSM parameter ${entry.name}`,
    )
    .join(', ');
}
