import type { Converter } from '../types.ts';
import { convertToLambda } from './convert.ts';

/**
 * AWS Lambda: an AWS SAM template (AWS::Serverless::Function, container image) and the equivalent
 * Serverless Framework service, sized from the pod and its traffic. Every mapping: docs/targets/aws-lambda.md.
 */
export const awsLambda: Converter = {
  id: 'aws-lambda',
  title: 'AWS Lambda',
  docs: 'docs/targets/aws-lambda.md',
  convert: convertToLambda,
};
