/**
 * Watches the frames a client sends, as bytes arrive and before the WebSocket library reads them, for API Gateway's
 * frame quota: a data frame whose payload is over 32 KB ends the connection, even when the whole message would fit in
 * 128 KB (a larger message must come in several frames). RFC 6455 section 5.2 gives the header layout.
 */
export class FrameSizeWatch {
  private readonly header: number[] = [];
  private remaining = 0;
  private tripped = false;

  constructor(
    private readonly limit: number,
    private readonly onTooLarge: () => void,
  ) {}

  feed(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.tripped) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skip;
        offset += skip;
        continue;
      }
      this.header.push(chunk[offset++]!);
      const length = this.headerLength();
      if (length !== undefined && this.header.length === length) this.frameStarts();
    }
  }

  /** 2 bytes, the extended length (2 or 8), the mask (4); undefined until the second byte is in. */
  private headerLength(): number | undefined {
    if (this.header.length < 2) return undefined;
    const short = this.header[1]! & 0x7f;
    const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
    return 2 + extended + (this.header[1]! & 0x80 ? 4 : 0);
  }

  private frameStarts(): void {
    const opcode = this.header[0]! & 0x0f;
    const short = this.header[1]! & 0x7f;
    let payload = short;
    if (short === 126) payload = (this.header[2]! << 8) | this.header[3]!;
    else if (short === 127) payload = this.header.slice(2, 10).reduce((total, byte) => total * 256 + byte, 0);
    this.header.length = 0;
    this.remaining = payload;
    // Data frames (text, binary, continuation) count; control frames carry at most 125 bytes anyway.
    if (opcode < 0x8 && payload > this.limit) {
      this.tripped = true;
      this.onTooLarge();
    }
  }
}
