// The image bytes a browser downloads for one page, from Chromium's own
// network accounting (CDP `Network.loadingFinished`'s `encodedDataLength`),
// at a given viewport and device pixel ratio, the page scrolled to its end
// so every lazy image loads.
//
//   node --experimental-websocket benches/image_bytes.mjs URL WIDTH DPR
//
// Starts Debian's chromium (headless, its own profile) on a free port and
// prints one line: `WIDTH DPR images=N bytes=B` and each image's URL and size.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, width = "390", dpr = "3"] = process.argv.slice(2);
const port = 9300 + Math.floor(Math.random() * 500);
const profile = mkdtempSync(join(tmpdir(), "image-bytes-"));
const chrome = spawn("chromium", [
  "--headless", "--no-sandbox", "--disable-gpu", `--remote-debugging-port=${port}`,
  `--user-data-dir=${profile}`, "--remote-allow-origins=*", "about:blank",
], { stdio: "ignore" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let target;
for (let i = 0; i < 100 && !target; i++) {
  await sleep(100);
  try {
    const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
    target = list.find((t) => t.type === "page");
  } catch {}
}
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r));
let id = 0;
const pending = new Map();
const requests = new Map();
const finished = [];
ws.addEventListener("message", (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
  if (msg.method === "Network.responseReceived") requests.set(msg.params.requestId, msg.params.response);
  if (msg.method === "Network.loadingFinished") finished.push(msg.params);
});
const send = (method, params = {}) => new Promise((r) => { pending.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
await send("Network.enable");
await send("Network.setCacheDisabled", { cacheDisabled: true });
await send("Emulation.setDeviceMetricsOverride", { width: +width, height: 844, deviceScaleFactor: +dpr, mobile: +width < 600 });
await send("Page.enable");
await send("Page.navigate", { url });
await sleep(1500);
// Scroll to the end, a screen at a time, so that each lazy image loads.
for (let i = 0; i < 40; i++) {
  await send("Runtime.evaluate", { expression: "window.scrollBy(0, 700)" });
  await sleep(150);
}
await sleep(1500);
let total = 0, n = 0;
const lines = [];
for (const f of finished) {
  const r = requests.get(f.requestId);
  if (!r || !r.mimeType.startsWith("image/")) continue;
  n++; total += f.encodedDataLength;
  lines.push(`  ${f.encodedDataLength}\t${r.url.replace(/^https?:\/\/[^/]+/, "")}`);
}
console.log(`${width} px, DPR ${dpr}: images=${n} bytes=${total}`);
console.log(lines.join("\n"));
ws.close();
chrome.kill();
