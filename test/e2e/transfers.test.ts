import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Origins } from '../../src/cli/server';
import type { HarTransfer } from '../../src/shared/transfers';
import { captureHar } from '../helpers/cli';
import { PAGES } from '../helpers/env';

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number };
  _netlens: { kind: string; state: string; transfer?: HarTransfer };
}

describe('resumable uploads through `netlens capture` and the HAR: each recognised as one transfer', () => {
  let servers: Origins;
  let entries: HarEntry[];
  let stdout: string;
  /** The members of the transfer whose requests go to `path`, in order, as [method, role, offset, length, outcome, reported]. */
  const transfer = (path: string) => {
    const members = entries.filter((e) => e._netlens.transfer && new URL(e.request.url).pathname.startsWith(path));
    const ids = new Set(members.map((e) => e._netlens.transfer!.id));
    expect(ids.size, path).toBe(1);
    members.sort((a, b) => a._netlens.transfer!.index - b._netlens.transfer!.index);
    expect(members.map((e) => e._netlens.transfer!.index)).toEqual(members.map((_, i) => i));
    return members.map((e) => e._netlens.transfer!);
  };
  const rows = (t: HarTransfer[]) => t.map((m) => [m.role, m.offset, m.length, m.outcome, m.reportedOffset]);

  beforeAll(async () => {
    servers = await startServers([PAGES]);
    ({ entries, stdout } = await captureHar<HarEntry>(`${servers.a}/uploads.html`));
  }, 120_000);
  afterAll(async () => {
    await servers?.close();
  });

  it('the offset-query uploader: a failure mid-way, a pause, and resumes from what the server reported', () => {
    const t = transfer('/api/upload/offset/');
    expect(rows(t)).toEqual([
      ['query', undefined, undefined, undefined, 0],
      ['chunk', 0, 307200, 'failed', undefined],
      ['query', undefined, undefined, undefined, 102400],
      ['chunk', 102400, 204800, 'failed', undefined],
      ['query', undefined, undefined, undefined, 102400],
      ['chunk', 102400, 204800, 'ok', 307200],
      // The page asks once more at the end.
      ['query', undefined, undefined, undefined, 307200],
    ]);
    expect(t.map((m) => m.error)).toEqual([undefined, 'HTTP 500', undefined, 'abort', undefined, undefined, undefined]);
    expect(t.map((m) => m.consecutiveErrors)).toEqual([undefined, 1, undefined, 2, undefined, undefined, undefined]);
    expect(t.map((m) => m.resumed)).toEqual([undefined, undefined, undefined, true, undefined, true, undefined]);
    expect(t[0]).toMatchObject({ protocol: 'offset', confirmed: 307200 });
    expect(t.flatMap((m) => m.issues ?? [])).toEqual([]);
  });

  it('tus 1.0: creation, PATCHes from Upload-Offset, a failed PATCH, HEAD and the resume', () => {
    const t = transfer('/api/upload/tus/');
    expect(rows(t)).toEqual([
      ['create', undefined, undefined, undefined, undefined],
      ['chunk', 0, 100000, 'ok', 100000],
      ['chunk', 100000, 100000, 'failed', undefined],
      ['query', undefined, undefined, undefined, 150000],
      ['chunk', 150000, 100000, 'ok', 250000],
    ]);
    expect(t[0]).toMatchObject({ protocol: 'tus', fileName: 'notes.txt', totalSize: 250000, confirmed: 250000, complete: true });
    expect(t[4]).toMatchObject({ retry: true, resumed: true });
    expect(t.flatMap((m) => m.issues ?? [])).toEqual([]);
  });

  it('Content-Range PUTs: 308 Resume Incomplete, a 503, a status query and the final 200', () => {
    const t = transfer('/api/upload/range/s');
    expect(rows(t)).toEqual([
      ['chunk', 0, 65536, 'ok', 65536],
      ['chunk', 65536, 65536, 'failed', undefined],
      ['query', undefined, undefined, undefined, 65536],
      ['chunk', 65536, 65536, 'ok', 131072],
      ['chunk', 131072, 18928, 'ok', 150000],
    ]);
    expect(t[0]).toMatchObject({ protocol: 'content-range', totalSize: 150000, confirmed: 150000, complete: true });
    expect(t[1].error).toBe('HTTP 503');
    expect(t.flatMap((m) => m.issues ?? [])).toEqual([]);
  });

  it('S3 multipart: parts two at a time placed by part number, a failed part sent again, the completion', () => {
    const t = transfer('/api/upload/s3/');
    const P = 65536;
    expect(rows(t)).toEqual([
      ['create', undefined, undefined, undefined, undefined],
      ['chunk', 0, P, 'ok', undefined],
      ['chunk', P, P, 'failed', undefined],
      ['chunk', P, P, 'ok', undefined],
      ['chunk', 2 * P, P, 'ok', undefined],
      ['chunk', 3 * P, P, 'ok', undefined],
      ['chunk', 4 * P, 1000, 'ok', undefined],
      ['complete', undefined, undefined, 'ok', undefined],
    ]);
    expect(t.map((m) => m.part)).toEqual([undefined, 1, 2, 2, 3, 4, 5, undefined]);
    expect(t[0]).toMatchObject({ protocol: 's3-multipart', fileName: 'db dump.tar', totalSize: 4 * P + 1000, confirmed: 4 * P + 1000, complete: true });
    expect(t[3]).toMatchObject({ retry: true });
    expect(t.flatMap((m) => m.issues ?? [])).toEqual([]);
  });

  it('a resumable session (uploadType=resumable): its start is the creation of its Content-Range chunks', () => {
    const members = entries.filter((e) => e._netlens.transfer?.fileName === 'photo.jpg').map((e) => e._netlens.transfer!);
    members.sort((a, b) => a.index - b.index);
    expect(rows(members)).toEqual([
      ['create', undefined, undefined, undefined, undefined],
      ['chunk', 0, 65536, 'ok', 65536],
      ['chunk', 65536, 70000 - 65536, 'ok', 70000],
    ]);
    expect(members[0]).toMatchObject({ protocol: 'content-range', totalSize: 70000, complete: true });
  });

  it('the summary netlens capture prints lists the five uploads', () => {
    expect(stdout).toContain('5 resumable uploads:');
    expect(stdout).toContain('  s3-multipart db dump.tar: 6 chunks, 263,144 of 263,144 B, complete (1 retried; 1 failed)\n');
    expect(stdout).toContain('  content-range photo.jpg: 2 chunks, 70,000 of 70,000 B, complete\n');
    expect(stdout).toMatch(/^ {2}offset clip\.bin-307200-\d+: 3 chunks, 307,200 B confirmed \(2 retried; 2 failed\)$/m);
    expect(stdout).toContain('  tus notes.txt: 3 chunks, 250,000 of 250,000 B, complete (1 retried; 1 failed)\n');
    expect(stdout).toMatch(/^ {2}content-range http:\/\/127\.0\.0\.1:\d+\/api\/upload\/range\/s\w+\?fail=2: 4 chunks, 150,000 of 150,000 B, complete \(1 retried; 1 failed\)$/m);
  });

  it('nothing else on the page is taken for a transfer', () => {
    const members = entries.filter((e) => e._netlens.transfer);
    expect(members.every((e) => new URL(e.request.url).pathname.startsWith('/api/upload/'))).toBe(true);
    expect(members).toHaveLength(7 + 5 + 5 + 8 + 3);
  });
});
