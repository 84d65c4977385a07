import { AwsError, type AwsErrorOptions } from '../../kit/index.js';

/**
 * A Rekognition error as the JSON 1.1 protocol returns it: `{ "__type": "...Exception", "Message": "..." }`
 * and `x-amzn-ErrorType`.
 */
export class RekognitionError extends AwsError {
  override readonly name = 'RekognitionError';
  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A fault of the local cloud itself (the models failed, a bug): a 500. */
export const internalError = (message = 'Internal server error') =>
  new RekognitionError('InternalServerError', message, { fault: 'Receiver' });
export const unknownOperation = (message: string) =>
  new RekognitionError('UnknownOperationException', message);
export const serializationError = () =>
  new RekognitionError('SerializationException', 'Start of structure or map found where not expected.');

export const invalidImageFormat = () =>
  new RekognitionError('InvalidImageFormatException', 'Request has invalid image format');
export const imageTooLarge = () => new RekognitionError('ImageTooLargeException', 'Image size is too large.');
export const invalidS3Object = () =>
  new RekognitionError(
    'InvalidS3ObjectException',
    'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
  );
export const invalidParameter = (detail?: string) =>
  new RekognitionError('InvalidParameterException', detail ?? 'Request has invalid parameters');
