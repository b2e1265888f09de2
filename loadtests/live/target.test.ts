import { describe, expect, it } from 'vitest';
import { buildTemplate, parseHeader, sampleBodies, serializeRequests } from './request.ts';
import { displayUrl, isLoopbackHost, parseTargets } from './target.ts';

describe('targets', () => {
  it('accepts loopback hosts only, unless remote ones are allowed', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', '128.0.0.1', 'example.com', '::2', 'localhost.example.com', '0.0.0.0'])
      expect(isLoopbackHost(host)).toBe(false);
    expect(() => parseTargets(['http://example.com/p'])).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/refusing/),
        hint: expect.stringMatching(/--allow-remote/),
      }),
    );
    expect(parseTargets(['http://example.com/p'], { allowRemote: true })[0]!.name).toBe('default');
  });

  it('names targets, and refuses unnamed or duplicate ones in an A/B run', () => {
    expect(parseTargets(['a=http://127.0.0.1:1/x', 'b-2=http://127.0.0.1:2/y']).map((t) => t.name)).toEqual([
      'a',
      'b-2',
    ]);
    expect(() => parseTargets(['http://127.0.0.1:1/', 'b=http://127.0.0.1:2/'])).toThrow(/need a name each/);
    expect(() => parseTargets(['a=http://127.0.0.1:1/', 'a=http://127.0.0.1:2/'])).toThrow(/given twice/);
    expect(() => parseTargets(['ftp://127.0.0.1/'])).toThrow(/only http/);
    expect(() => parseTargets([])).toThrow(/no target/);
  });

  it('shows URLs without credentials or query values', () => {
    expect(displayUrl(new URL('https://user:pw@h.example:8443/api?code=SECRET&x=1'))).toBe(
      'https://h.example:8443/api?code=…&x=…',
    );
  });
});

describe('requests', () => {
  it('serialises one HTTP/1.1 request per body, with Host, Content-Length and keep-alive', () => {
    const [target] = parseTargets(['http://127.0.0.1:8080/v1/models/m:predict?v=2']);
    const template = buildTemplate({
      method: undefined,
      headers: [parseHeader('X-Team: ml')],
      body: null,
      seed: 1,
    });
    const requests = serializeRequests(target!, template);
    expect(requests).toHaveLength(64);
    const text = requests[0]!.toString();
    expect(text).toMatch(
      /^POST \/v1\/models\/m:predict\?v=2 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:8080\r\nX-Team: ml\r\n/,
    );
    expect(text).toMatch(
      /Content-Type: application\/json\r\nConnection: keep-alive\r\nContent-Length: \d+\r\n\r\n\{"inputs":\[\[/,
    );
    const get = serializeRequests(
      target!,
      buildTemplate({ method: 'get', headers: [], body: null, seed: 1 }),
    );
    expect(get[0]!.toString()).not.toMatch(/Content-Length|Content-Type/);
  });

  it('samples are seeded: four features, the same for the same seed', () => {
    expect(sampleBodies(7, 3)).toEqual(sampleBodies(7, 3));
    expect(sampleBodies(7, 3)).not.toEqual(sampleBodies(8, 3));
    expect(JSON.parse(sampleBodies(7, 1)[0]!.toString()).inputs[0]).toHaveLength(4);
  });

  it('refuses headers that would break the request or fight the replayer', () => {
    expect(() => parseHeader('no colon')).toThrow(/Name: value/);
    expect(() => parseHeader('X-A: b\r\nEvil: 1')).toThrow(/line break/);
    expect(() => parseHeader('Content-Length: 5')).toThrow(/set by the replayer/);
  });
});
