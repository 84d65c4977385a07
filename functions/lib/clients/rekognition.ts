/**
 * The Rekognition client, created once per container. The endpoint comes from the environment only
 * (`AWS_ENDPOINT_URL_REKOGNITION`, set by the local cloud).
 */
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { tracer } from '../powertools.js';

/** Rekognition client, traced. */
export const rekognitionClient = tracer.captureAWSv3Client(new RekognitionClient({}));
