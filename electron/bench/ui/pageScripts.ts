/**
 * Code that runs in the page, kept as source text: the Node side's TypeScript has no DOM types. Times are epoch
 * milliseconds (performance.timeOrigin + performance.now()), the clock the engine stamps tokens with.
 */

/**
 * Installed before the app loads. Wraps the WebSocket's message handler: after the app has handled a token
 * event (Svelte updates the DOM in a microtask), the next animation frame is the frame that paints it, and a
 * message posted from that frame arrives once the frame is done. Also records long tasks.
 */
export const PROBE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const delays = (window.__tokenDelays = []);
  const longTasks = (window.__longTasks = []);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ at: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const own = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return own.get.call(this); },
    set(handler) {
      own.set.call(this, handler && function (event) {
        const received = now();
        handler.call(this, event);
        const data = event.data;
        // Small messages only: parsing a whole story a second time would slow down what is measured.
        if (typeof data !== 'string' || data.length > 4096 || !data.includes('"sentAt"')) return;
        let sentAt;
        try { sentAt = JSON.parse(data).event.sentAt; } catch { return; }
        if (typeof sentAt !== 'number') return;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => delays.push({ total: now() - sentAt, inPage: now() - received });
          channel.port2.postMessage(0);
        });
      });
    },
  });
})();`;

/** Clicks the story's link in the library; resolves, in ms, once `last` is painted and the choices respond. */
export function openStoryScript(title: string, last: string): string {
  return `new Promise((resolve, reject) => {
    const started = performance.now();
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent.trim() === ${JSON.stringify(title)});
    if (!link) return reject(new Error('no link to the story in the library'));
    link.click();
    const ready = () => {
      const column = document.querySelector('[data-testid=reading-column]');
      const button = document.querySelector('[data-testid=choices] button');
      return column && button && !button.disabled && column.textContent.includes(${JSON.stringify(last)});
    };
    const check = () => {
      if (!ready()) return void requestAnimationFrame(check);
      // Painted, and the main thread free again: the next frame ran and a task after it did too.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - started);
        channel.port2.postMessage(0);
      });
    };
    check();
  })`;
}

/** Takes the token delays and long tasks recorded so far, and starts afresh. */
export const TAKE_SAMPLES = `(() => {
  const taken = { delays: window.__tokenDelays.splice(0), longTasks: window.__longTasks.splice(0) };
  return taken;
})()`;
