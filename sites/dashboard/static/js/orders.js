// Pesanan: the order board, one column per step of the work, each with its count; the counts
// refresh by themselves (every 30 seconds), and the open column with them when it changed.
import { api, BASE } from "./api.js";
import { requireSession } from "./session.js";
import { $, DELIVERY, PAYMENT, STATUS, announce, el, rupiah, wita } from "./ui.js";

const BOARDS = [
  ["bayar", "Perlu dibayar", ["awaiting_payment"]],
  ["proses", "Perlu diproses", ["paid", "processing"]],
  ["jalan", "Diantar / siap diambil", ["shipped", "ready_for_pickup"]],
  ["sampai", "Sudah sampai", ["delivered"]],
  ["selesai", "Selesai", ["completed"]],
  ["batal", "Batal", ["cancelled", "expired"]],
];
const { store } = await requireSession();
const list = $("#orders");
const more = $("#more");
let board = BOARDS.find((b) => b[0] === location.hash.slice(1)) || BOARDS[1];
let cursor = null;
let counts = {};

function tabs() {
  $("#boards").replaceChildren(...BOARDS.map(([key, label, statuses]) => {
    const n = statuses.reduce((sum, s) => sum + (counts[s] || 0), 0);
    return el("li", {}, el("a", { href: `#${key}`, "aria-current": key === board[0] ? "true" : null },
      label, " ", el("span", { class: "badge", "aria-label": `${n} pesanan` }, String(n))));
  }));
}

function card(order) {
  return el("li", { class: "card" }, el("a", { href: `${BASE}pesanan/detail/?id=${order.id}` },
    el("span", { class: "title" }, order.number),
    el("span", {}, `${order.buyer.name} · ${rupiah(order.total)}`),
    el("span", { class: "hint" }, `${STATUS[order.status] || order.status} · ${DELIVERY[order.delivery_method]} · ${PAYMENT[order.payment_method] || order.payment_method}`),
    el("span", { class: "hint" }, wita(order.created_at))));
}

async function load(reset) {
  if (reset) { cursor = null; list.replaceChildren(); }
  more.disabled = true;
  const params = new URLSearchParams({ status: board[2].join(","), limit: "50", ...(cursor ? { cursor } : {}) });
  try {
    const page = await api("GET", `/stores/${store.id}/orders?${params}`);
    list.append(...page.items.map(card));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    $("#board-note").textContent = list.children.length ? "" : "Tidak ada pesanan di sini.";
  } catch (error) {
    $("#board-note").textContent = error.message;
  } finally {
    more.disabled = false;
  }
}

async function refreshCounts() {
  try {
    const fresh = (await api("GET", `/stores/${store.id}/order-counts`)).counts;
    const changed = board[2].some((s) => counts[s] !== undefined && fresh[s] !== counts[s]);
    const arrived = (fresh.awaiting_payment + fresh.processing + fresh.paid) - ((counts.awaiting_payment || 0) + (counts.processing || 0) + (counts.paid || 0));
    counts = fresh;
    tabs();
    if (changed) load(true);
    if (arrived > 0 && document.visibilityState === "visible") announce(`${arrived} pesanan baru.`);
  } catch (error) { /* the next round tries again */ }
}

window.addEventListener("hashchange", () => {
  board = BOARDS.find((b) => b[0] === location.hash.slice(1)) || board;
  tabs();
  load(true);
});
more.addEventListener("click", () => load(false));
await refreshCounts();
tabs();
await load(true);
performance.mark("board-ready");  // what benchmarks/dashboard times
setInterval(refreshCounts, 30000);
