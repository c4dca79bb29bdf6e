/**
 * A service worker that makes this page cross-origin isolated on a host that sends no such headers
 * (a school's static server, GitHub Pages): it adds COOP and COEP to every same-origin response, so
 * the page gets SharedArrayBuffer, which the Miner's workers share their counters through. The page
 * registers it and reloads once (app.ts); powlab serve sends the headers itself.
 */
const worker = self as unknown as {
  addEventListener(type: 'install' | 'activate' | 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};

interface FetchEvent extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
  waitUntil(promise: Promise<unknown>): void;
}

worker.addEventListener('install', () => void worker.skipWaiting());
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));
worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== worker.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
