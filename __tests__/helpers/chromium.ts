/**
 * Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: file descriptors 3 and 4, NUL-terminated JSON), so tests can load a
 * page, read what it shows and take a screenshot with no browser download and no npm dependency.
 * .ci/run installs the package where it is missing; `chromiumPath()` says why when it cannot.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The browser to run, or the one-line reason there is none. */
export function chromiumPath(): { path: string } | { skip: string } {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv)
    return existsSync(fromEnv)
      ? { path: fromEnv }
      : { skip: `CHROMIUM_PATH ${fromEnv} does not exist` };
  for (const name of CANDIDATES) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return { path: found.stdout.trim() };
  }
  return {
    skip: 'no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it when it runs as root)',
  };
}

export class Browser {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private readonly listeners: ((method: string, params: unknown, sessionId?: string) => void)[] =
    [];

  private constructor(private readonly child: ChildProcess) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          result?: unknown;
          error?: { message: string };
          method?: string;
          params?: unknown;
          sessionId?: string;
        };
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(message.error.message));
          else waiter?.resolve(message.result);
        } else if (message.method) {
          for (const l of this.listeners) l(message.method, message.params, message.sessionId);
        }
      }
    });
  }

  static launch(path: string): Browser {
    const child = spawn(
      path,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(child);
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: object = {},
    sessionId?: string,
  ): Promise<T> {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) =>
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
    (this.child.stdio[3] as Writable).write(
      `${JSON.stringify({ id, method, params, sessionId })}\0`,
    );
    return promise;
  }

  /** Opens `url` in a new page of the given size and resolves once it has loaded. */
  async open(url: string, width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    await this.send('Page.enable', {}, sessionId);
    await this.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    const loaded = new Promise<void>((resolve) =>
      this.listeners.push((method, _params, from) => {
        if (method === 'Page.loadEventFired' && from === sessionId) resolve();
      }),
    );
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return new Page(this, sessionId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.send('Browser.close').catch(() => undefined);
      setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
    });
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {}

  /** The value of a JavaScript expression evaluated in the page. */
  async evaluate<T>(expression: string): Promise<T> {
    const out = await this.browser.send<{
      result: { value: T };
      exceptionDetails?: { text: string };
    }>('Runtime.evaluate', { expression, returnByValue: true }, this.sessionId);
    if (out.exceptionDetails) throw new Error(`Page threw: ${out.exceptionDetails.text}`);
    return out.result.value;
  }

  /** PNG of the whole page. */
  async screenshot(): Promise<Buffer> {
    const { data } = await this.browser.send<{ data: string }>(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true },
      this.sessionId,
    );
    return Buffer.from(data, 'base64');
  }
}
