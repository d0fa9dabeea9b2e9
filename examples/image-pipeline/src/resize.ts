import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Jimp } from 'jimp';

interface S3Event {
  Records: Array<{ s3: { bucket: { name: string }; object: { key: string } } }>;
}

const s3 = new S3Client({ forcePathStyle: true });
const width = Number(process.env.WIDTH ?? 128);

/** Resizes each uploaded JPEG to WIDTH pixels wide and stores it under the same key in OUTPUT_BUCKET. */
export const handler = async (event: S3Event) => {
  for (const record of event.Records) {
    // S3 event keys are URL-encoded, with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const original = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key: key }));
    const image = await Jimp.read(Buffer.from(await original.Body!.transformToByteArray()));
    image.resize({ w: width });
    const resized = await image.getBuffer('image/jpeg');
    await s3.send(new PutObjectCommand({ Bucket: process.env.OUTPUT_BUCKET, Key: key, Body: resized, ContentType: 'image/jpeg' }));
    console.log(`resized ${key} to ${image.width}x${image.height}`);
  }
};
