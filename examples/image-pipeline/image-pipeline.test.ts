import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flintUp, runFlint, type RunningFlint } from '../../test/helpers/cli.js';

describe('example: image-pipeline (upload → ObjectCreated → resize → processed bucket)', () => {
  let flint: RunningFlint;
  let s3: S3Client;
  beforeAll(async () => {
    flint = await flintUp(import.meta.dirname, ['--no-watch']);
    s3 = new S3Client({ endpoint: flint.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    await flint?.stop();
  });

  it('creates both buckets', () => {
    expect(flint.output()).toContain('✓ bucket raw-images created');
    expect(flint.output()).toContain('✓ bucket processed-images created');
  });

  it('resizes a real JPEG uploaded to raw-images into processed-images', async () => {
    const photo = new Jimp({ width: 640, height: 480, color: 0x3366ccff });
    for (let x = 0; x < 640; x += 4) {
      for (let y = 0; y < 480; y += 4) photo.setPixelColor(((Math.floor((x * 255) / 640) << 24) | (Math.floor((y * 255) / 480) << 16) | 0x80ff) >>> 0, x, y);
    }
    const jpeg = await photo.getBuffer('image/jpeg');
    await s3.send(new PutObjectCommand({ Bucket: 'raw-images', Key: 'holiday photo.jpg', Body: jpeg, ContentType: 'image/jpeg' }));
    await expect
      .poll(
        async () => {
          try {
            const got = await s3.send(new GetObjectCommand({ Bucket: 'processed-images', Key: 'holiday photo.jpg' }));
            return Buffer.from(await got.Body!.transformToByteArray());
          } catch {
            return undefined;
          }
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeInstanceOf(Buffer);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'processed-images', Key: 'holiday photo.jpg' }));
    expect(got.ContentType).toBe('image/jpeg');
    const image = await Jimp.read(Buffer.from(await got.Body!.transformToByteArray()));
    expect([image.width, image.height]).toEqual([128, 96]);
    const logs = await runFlint(['logs', 'resize', '--endpoint', flint.url]);
    expect(logs.stdout).toContain('resized holiday photo.jpg to 128x96');
  });

  it('ignores uploads the notification filters out', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'raw-images', Key: 'notes.txt', Body: 'not an image' }));
    await expect.poll(async () => (await runFlint(['logs', 'resize', '--endpoint', flint.url])).stdout.match(/REPORT/g)?.length ?? 0).toBe(1);
  });
});
