// Kasir: the counter of a market stall, tablet first. Find goods by name or SKU, big tiles, the
// sale, cash with change or QRIS or transfer, a receipt for a 58 mm printer, and the day.
//
// Every sale gets its key (Idempotency-Key) when the seller taps "Selesai". A sale that cannot
// reach the server (the stall's signal dropped) waits in this browser's queue, is sent with the
// same key when the connection returns, and is sold once however often it is sent.
import { api } from "./api.js";
import { requireSession } from "./session.js";
import { $, PAYMENT, announce, el, rupiah, wita } from "./ui.js";

const QUEUE_KEY = "behambinan.kasir.antrean.v1";
const session = await requireSession();
const store = session.store;
let goods = [];  // one tile per variant
const sale = new Map();  // variant id -> {tile, quantity}

const queue = {
  load: () => { try { return JSON.parse(localStorage.getItem(QUEUE_KEY)) || []; } catch (e) { return []; } },
  save: (items) => { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); showQueue(); },
};

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function loadGoods() {
  goods = [];
  let cursor = null;
  do {
    const page = await api("GET", `/stores/${store.id}/products?${new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) })}`);
    for (const p of page.items) for (const v of p.variants) goods.push({ id: v.id, product: p.name, name: v.name, sku: v.sku, price: v.price, stock: v.stock });
    cursor = page.next_cursor;
  } while (cursor);
  tiles();
}

function tiles() {
  const q = $("#q").value.trim().toLowerCase();
  const found = goods.filter((g) => !q || `${g.product} ${g.name} ${g.sku}`.toLowerCase().includes(q)).slice(0, 60);
  $("#tiles").replaceChildren(...found.map((g) => el("li", {}, el("button", { type: "button", class: "tile", disabled: g.stock <= 0,
      onclick: () => { add(g, 1); }, "aria-label": `${g.product} ${g.name} ${rupiah(g.price)} ${g.stock > 0 ? `stok ${g.stock}` : "habis"}` },
    el("span", { class: "title" }, g.product), el("span", {}, g.name), el("strong", {}, rupiah(g.price)),
    el("span", { class: "hint" }, g.stock > 0 ? `stok ${g.stock}` : "habis")))));
}

function add(good, delta) {
  const line = sale.get(good.id) || { good, quantity: 0 };
  line.quantity = Math.max(0, Math.min(good.stock, line.quantity + delta));
  if (line.quantity) sale.set(good.id, line); else sale.delete(good.id);
  render();
}

const total = () => [...sale.values()].reduce((n, l) => n + l.good.price * l.quantity, 0);
const payment = () => document.querySelector('input[name="payment"]:checked').value;

function render() {
  $("#sale-lines").replaceChildren(...[...sale.values()].map((l) => el("li", { class: "line" },
    el("span", {}, el("span", { class: "title" }, `${l.good.product} (${l.good.name})`), el("span", { class: "hint" }, ` ${rupiah(l.good.price)}`)),
    el("strong", {}, rupiah(l.good.price * l.quantity)),
    el("span", { class: "controls qty" },
      el("button", { type: "button", class: "secondary", "aria-label": `Kurangi ${l.good.product}`, onclick: () => add(l.good, -1) }, "−"),
      el("span", { class: "count", "aria-live": "polite" }, String(l.quantity)),
      el("button", { type: "button", class: "secondary", "aria-label": `Tambah ${l.good.product}`, onclick: () => add(l.good, 1) }, "+")))));
  $("#sale-total").textContent = rupiah(total());
  const cash = payment() === "cash";
  $("#cash-box").hidden = !cash;
  const received = Number($("#cash").value) || 0;
  $("#change").textContent = rupiah(Math.max(0, received - total()));
  $("#pay").disabled = !sale.size || (cash && received > 0 && received < total());
}

function receipt(data, queued = false) {
  const lines = data.lines.map((l) => el("tr", {}, el("td", {}, `${l.product_name} ${l.variant_name} ×${l.quantity}`), el("td", {}, rupiah(l.total))));
  $("#receipt").replaceChildren(
    el("p", { class: "center" }, el("strong", {}, store.name)),
    el("p", { class: "center" }, data.receipt_number || "(menunggu dikirim)", el("br"), data.created_at ? wita(data.created_at) : ""),
    el("table", {}, el("tbody", {}, ...lines,
      el("tr", { class: "grand" }, el("td", {}, "TOTAL"), el("td", {}, rupiah(data.total))),
      el("tr", {}, el("td", {}, PAYMENT[data.payment] || data.payment), el("td", {}, data.cash_received ? rupiah(data.cash_received) : "")),
      data.change_due ? el("tr", {}, el("td", {}, "Kembali"), el("td", {}, rupiah(data.change_due))) : null)),
    data.voided_at ? el("p", { class: "center" }, `DIBATALKAN: ${data.void_reason}`) : null,
    queued ? el("p", { class: "center" }, "Belum terkirim: dikirim saat sinyal kembali.") : null,
    el("p", { class: "center" }, "Terima kasih. Behambinan · UMKM Samarinda"));
  $("#receipt").hidden = false;
  $("#receipt-actions").hidden = false;
}

async function send(item) {
  return api("POST", `/stores/${store.id}/pos-sales`, { body: item.body, headers: { "Idempotency-Key": item.key } });
}

async function pay() {
  const body = { lines: [...sale.values()].map((l) => ({ variant_id: l.good.id, quantity: l.quantity })), payment: payment() };
  const received = Number($("#cash").value) || 0;
  if (body.payment === "cash" && received) body.cash_received = received;
  const item = { key: newKey(), body, at: new Date().toISOString(), total: total(), lines: [...sale.values()] };
  $("#pay").disabled = true;
  $("#sale-error").hidden = true;
  try {
    const done = await send(item);
    finish();
    receipt(done);
    announce(`Terjual ${rupiah(done.total)}. Struk ${done.receipt_number}.`);
    refreshDay();
  } catch (error) {
    if (error.status === 0) {  // no connection: keep it, with its key
      queue.save([...queue.load(), { key: item.key, body, at: item.at, total: item.total }]);
      finish();
      receipt({ ...body, total: item.total, created_at: item.at, cash_received: body.cash_received,
                change_due: body.cash_received ? body.cash_received - item.total : null,
                lines: item.lines.map((l) => ({ product_name: l.good.product, variant_name: l.good.name, quantity: l.quantity, total: l.good.price * l.quantity })) }, true);
      announce("Tidak ada sinyal: penjualan disimpan dan dikirim otomatis nanti.");
    } else {
      $("#sale-error").textContent = error.message;
      $("#sale-error").hidden = false;
      $("#pay").disabled = false;
    }
  }
}

function finish() {
  for (const line of sale.values()) line.good.stock -= line.quantity;
  sale.clear();
  $("#cash").value = "";
  render();
  tiles();
}

let flushing = false;
async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    for (const item of queue.load()) {
      try {
        await send(item);
        queue.save(queue.load().filter((i) => i.key !== item.key));
      } catch (error) {
        if (error.status === 0) break;  // still offline: try again later, same key
        queue.save(queue.load().map((i) => (i.key === item.key ? { ...i, failed: error.message } : i)));
      }
    }
  } finally {
    flushing = false;
  }
  refreshDay();
}

function showQueue() {
  const waiting = queue.load();
  const box = $("#queue");
  box.hidden = !waiting.length;
  box.replaceChildren(el("strong", {}, `${waiting.length} penjualan menunggu dikirim`), " (tersimpan di tablet ini).",
    el("ul", {}, ...waiting.map((i) => el("li", {}, `${wita(i.at)} · ${rupiah(i.total)}`, i.failed ? ` · DITOLAK: ${i.failed}` : " · menunggu sinyal"))));
}

async function refreshDay() {
  try {
    const [day, summary] = await Promise.all([api("GET", `/stores/${store.id}/pos-sales`), api("GET", `/stores/${store.id}/pos-summary`)]);
    const byPayment = Object.entries(summary.by_payment).map(([p, s]) => `${PAYMENT[p] || p} ${rupiah(s.total)}`).join(", ");
    $("#summary").textContent = `${summary.sales} penjualan · ${rupiah(summary.total)}${byPayment ? ` (${byPayment})` : ""}${summary.voided ? ` · ${summary.voided} dibatalkan` : ""}`;
    $("#today").replaceChildren(...day.items.map(saleCard));
  } catch (error) { /* offline: the list stays as it was */ }
}

function saleCard(s) {
  const reason = el("input", { id: `void-${s.id}`, maxlength: "300", "aria-label": `Alasan membatalkan ${s.receipt_number}` });
  const voidForm = el("form", { class: "row", hidden: true, onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/stores/${store.id}/pos-sales/${s.id}/void`, { body: { reason: reason.value.trim() } });
      announce(`${s.receipt_number} dibatalkan; stok kembali.`);
      await loadGoods();
      refreshDay();
    } catch (error) { announce(error.message); }
  } }, reason, el("button", { type: "submit", class: "danger small" }, "Batalkan penjualan"));
  return el("li", { class: "card" },
    el("span", { class: "title" }, `${s.receipt_number} · ${rupiah(s.total)}`),
    el("span", { class: "hint" }, `${wita(s.created_at)} · ${PAYMENT[s.payment] || s.payment}${s.voided_at ? ` · DIBATALKAN (${s.void_reason})` : ""}`),
    el("p", { class: "actions" },
      el("button", { type: "button", class: "secondary small", onclick: () => { receipt(s); window.print(); } }, "Cetak ulang"),
      s.voided_at ? null : el("button", { type: "button", class: "secondary small", onclick: () => { voidForm.hidden = false; reason.focus(); } }, "Batalkan…")),
    voidForm);
}

$("#q").addEventListener("input", tiles);
$("#find").addEventListener("submit", (event) => event.preventDefault());
for (const radio of document.querySelectorAll('input[name="payment"]')) radio.addEventListener("change", render);
$("#cash").addEventListener("input", render);
$("#pay").addEventListener("click", pay);
$("#clear-sale").addEventListener("click", () => { sale.clear(); render(); });
$("#print").addEventListener("click", () => window.print());
$("#next-sale").addEventListener("click", () => { $("#receipt").hidden = true; $("#receipt-actions").hidden = true; $("#q").focus(); });
window.addEventListener("online", flush);
setInterval(flush, 15000);
showQueue();
render();
await loadGoods();
refreshDay();
flush();
