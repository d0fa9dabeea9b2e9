import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isFlintError, responseBytes } from '../../../src/core/index.js';
import { inProcessRequest } from '../../../src/platform/in-process.js';
import { AwsError, escapeXml, parseXml, type XmlElement } from '../../../src/protocol/index.js';
import { bucketFromHost, isS3Host, parseAddress } from '../../../src/services/s3/address.js';
import { compositeChecksum, digestOf, multipartEtag } from '../../../src/services/s3/checksums.js';
import { eventKey } from '../../../src/services/s3/notifications/records.js';
import { startS3Unit } from './harness.js';
import { S3_AUTH, xmlText } from './http.js';

function s3Code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsError) return error.awsCode;
    return isFlintError(error) ? error.code : 'not a FlintError';
  }
  return undefined;
}

/** An element as a plain value: its text when it has no child elements, else child name → value(s). */
type XmlPlain = string | { [name: string]: XmlPlain | XmlPlain[] };

function toPlain(element: XmlElement): XmlPlain {
  if (element.children.length === 0) return element.text;
  const out: { [name: string]: XmlPlain | XmlPlain[] } = {};
  for (const child of element.children) {
    const value = toPlain(child);
    const existing = out[child.name];
    if (existing === undefined) out[child.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[child.name] = [existing, value];
  }
  return out;
}

/** The code S3 answers a DeleteObjects request carrying this document with (the kit parses it as S3's body). */
async function deleteCode(document: string): Promise<string | undefined> {
  const unit = await startS3Unit();
  try {
    await unit.storage.objects.createBucket('b', 'us-east-1');
    const md5 = createHash('md5').update(document).digest('base64');
    const request = inProcessRequest({ method: 'POST', path: '/b?delete', headers: { authorization: S3_AUTH, 'content-md5': md5 }, body: document }, 'http://127.0.0.1');
    return xmlText((await responseBytes((await unit.service.handle(request)).body)).toString('utf8'), 'Code');
  } finally {
    await unit.close();
  }
}

describe('S3 wire details', () => {
  it('reads request XML: prolog, namespaces, entities, CDATA, repeated and empty elements', () => {
    const doc = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>' +
        '<Object><Key>a &amp; b &lt;c&gt; &#x263A;&#65;</Key></Object><Object><Key><![CDATA[<raw>]]></Key></Object><s3:Empty/></Delete>',
    );
    expect(doc.name).toBe('Delete');
    expect(toPlain(doc)).toEqual({ Quiet: 'true', Object: [{ Key: 'a & b <c> ☺A' }, { Key: '<raw>' }], Empty: '' });
  });

  it('refuses malformed XML as MalformedXML', async () => {
    for (const bad of ['', 'text', '<a><b></a>', '<a>', '<a>x &bogus; y</a>', '<a></a><b></b>', '<a>&#x110000;</a>']) {
      expect([bad, await deleteCode(bad)]).toEqual([bad, 'MalformedXML']);
    }
  });

  it('escapes text for responses', () => {
    expect(escapeXml(`a<b>&"c"'\r`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;&#13;');
    expect(escapeXml('plain')).toBe('plain');
  });

  it('tells virtual-hosted from path-style addresses', () => {
    expect(bucketFromHost('my-bucket.localhost:4566')).toBe('my-bucket');
    expect(bucketFromHost('my.dotted.bucket.s3.localhost')).toBe('my.dotted.bucket');
    expect(bucketFromHost('b.s3.us-west-2.amazonaws.com')).toBe('b');
    expect(bucketFromHost('b.s3-us-west-2.amazonaws.com')).toBe('b');
    expect(bucketFromHost('logs.s3-backup.localhost')).toBe('logs.s3-backup');
    expect(bucketFromHost('s3.amazonaws.com')).toBeUndefined();
    expect(bucketFromHost('s3.localhost:4566')).toBeUndefined();
    // Hosts an unsigned request reaches S3 by, whatever its path (anonymous access).
    expect(['b.s3.localhost', 's3.localhost:4566', 's3.us-east-1.amazonaws.com', 'b.s3-us-west-2.amazonaws.com'].map(isS3Host)).toEqual([true, true, true, true]);
    expect(['b.localhost', 'localhost:4566', '127.0.0.1:4566', 'abcdefghij.execute-api.localhost', 'logs.s3-backup.localhost'].map(isS3Host)).toEqual([false, false, false, false, false]);
    expect(bucketFromHost('localhost:4566')).toBeUndefined();
    expect(bucketFromHost('127.0.0.1:4566')).toBeUndefined();
    expect(bucketFromHost('[::1]:4566')).toBeUndefined();
    expect(parseAddress('127.0.0.1', '/b/dir/a%20b%2Bc+d')).toEqual({ bucket: 'b', key: 'dir/a b+c+d', virtualHost: false });
    expect(parseAddress('127.0.0.1', '/b/')).toEqual({ bucket: 'b', key: undefined, virtualHost: false });
    expect(parseAddress('127.0.0.1', '/')).toEqual({ virtualHost: false });
    expect(parseAddress('b.localhost', '/k%C3%BC')).toEqual({ bucket: 'b', key: 'kü', virtualHost: true });
    expect(s3Code(() => parseAddress('127.0.0.1', '/b/%E0%A4%A'))).toBe('InvalidURI');
  });

  it('encodes keys in event records as S3 does', () => {
    expect(eventKey('red flower.jpg')).toBe('red+flower.jpg');
    expect(eventKey('dir/a+b (1).txt')).toBe('dir/a%2Bb+%281%29.txt');
    expect(eventKey('ü~*')).toBe('%C3%BC%7E*');
  });

  it('computes multipart ETags and composite checksums from the parts', () => {
    const parts = ['one', 'two'].map((text) => createHash('md5').update(text).digest('hex'));
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((hex) => Buffer.from(hex, 'hex'))))
      .digest('hex');
    expect(multipartEtag(parts)).toBe(`${expected}-2`);
    const sums = ['one', 'two'].map((text) => digestOf('SHA1', Buffer.from(text)));
    const composite = createHash('sha1')
      .update(Buffer.concat(sums.map((sum) => Buffer.from(sum, 'base64'))))
      .digest('base64');
    expect(compositeChecksum('SHA1', sums)).toBe(`${composite}-2`);
  });
});
