/**
 * A scan's findings JSONL, written as it is produced (check after check in a scan, account after
 * account in an organization's merge), in parts of PART_BYTES, so memory holds one part and one
 * batch of findings whatever the size of the account or the organization. Small scans (under one
 * part) are one PutObject. A failure aborts the multipart
 * upload, so no half-written object ever appears under findings/.
 *
 * IAM actions: `s3:PutObject` (PutObject, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload) and `s3:AbortMultipartUpload` — `arn:aws:s3:::<audit-bucket>/findings/*`.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { logger } from './observability';
import { JSONL_CONTENT_TYPE, putText } from './store';

/** S3 parts must be at least 5 MiB (except the last); 8 MiB keeps 10,000 parts above 78 GiB. */
export const PART_BYTES = 8 * 1024 * 1024;

export class FindingsUpload {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private uploadId?: string;
  private readonly parts: CompletedPart[] = [];
  bytes = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly partBytes = PART_BYTES,
  ) {}

  async append(chunk: Buffer): Promise<void> {
    if (chunk.byteLength === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    this.bytes += chunk.byteLength;
    while (this.pendingBytes >= this.partBytes) await this.uploadPart(this.partBytes);
  }

  /**
   * Runs `fill` (which appends), then completes the object; when anything fails, aborts the
   * upload (no half-written object appears) and rethrows.
   */
  async write<T>(fill: () => Promise<T>): Promise<T> {
    try {
      const result = await fill();
      await this.complete();
      return result;
    } catch (err) {
      await this.abort().catch((abortErr: unknown) =>
        logger.error('Could not abort the findings upload', { error: abortErr as Error }),
      );
      throw err;
    }
  }

  /** Writes what is left and makes the object visible. */
  async complete(): Promise<void> {
    if (this.uploadId === undefined) {
      await putText(
        this.s3,
        this.bucket,
        this.key,
        this.take(this.pendingBytes),
        JSONL_CONTENT_TYPE,
      );
      return;
    }
    if (this.pendingBytes > 0) await this.uploadPart(this.pendingBytes);
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }

  /** Discards the upload (after a failure): S3 keeps no part of it. */
  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    await this.s3.send(
      new AbortMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
      }),
    );
  }

  /** The first `bytes` of what is pending, as one buffer. */
  private take(bytes: number): Buffer {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    this.pending.length = 0;
    const rest = all.subarray(bytes);
    if (rest.byteLength > 0) this.pending.push(rest);
    this.pendingBytes = rest.byteLength;
    return all.subarray(0, bytes);
  }

  private async uploadPart(bytes: number): Promise<void> {
    if (this.uploadId === undefined) {
      const out = await this.s3.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          ContentType: JSONL_CONTENT_TYPE,
        }),
      );
      if (!out.UploadId) throw new Error(`S3 returned no upload id for ${this.key}`);
      this.uploadId = out.UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const out = await this.s3.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        Body: this.take(bytes),
      }),
    );
    this.parts.push({ PartNumber, ETag: out.ETag });
  }
}
