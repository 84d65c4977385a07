/** A Rekognition error as the JSON 1.1 protocol returns it: `{ "__type": "...Exception", "Message": "..." }`. */
export class RekognitionError extends Error {
  override readonly name = 'RekognitionError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

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
