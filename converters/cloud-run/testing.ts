/**
 * Test helper (imported by tests only): checks an emitted service.yaml against both official schemas in
 * ../shared/schemas, as SOURCES.md item 3 recommends: the Knative Service CRD (what the resource is)
 * and the Cloud Run Admin API v1 (the dialect `gcloud run services replace` accepts, which rejects
 * unknown fields). Annotation values are prose there, so the tests check those themselves.
 */
import { parse } from 'yaml';
import { schemaErrors } from '../../test/helpers/schemas.ts';

export function serviceYamlErrors(text: string): string[] {
  const service = parse(text) as unknown;
  return [
    ...schemaErrors('knative-service.schema.json', service).map(
      (error) => `knative-service.schema.json ${error}`,
    ),
    ...schemaErrors('cloud-run-v1.schema.json', service).map((error) => `cloud-run-v1.schema.json ${error}`),
  ];
}
