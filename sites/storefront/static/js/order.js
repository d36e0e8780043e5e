// Confirmation and tracking. The tracking link carries each order's id and secret token in the
// URL fragment (#o=12.token,13.token): browsers never send a fragment to any server, so the
// token reaches none of their logs; it goes to the API in the X-Order-Token header only.
// A shopper who lost the link finds an order with its number and phone number.
import { api } from "./api.js";
import { $, DELIVERY, PAYMENT, STATUS, announce, el, rupiah, wita } from "./ui.js";

const list = $("#orders");
const note = $("#order-note");

function pairs() {
  const match = /(?:^|&)o=([^&]*)/.exec(location.hash.slice(1));
  if (!match) return [];
  return match[1].split(",").map((p) => p.split(".")).filter(([id, token]) => /^\d+$/.test(id) && token)
    .map(([id, token]) => ({ id, token }));
}

function whatsapp(order) {
  if (!order.store.whatsapp_url) return null;
  const text = `Halo ${order.store.name}, saya ${order.buyer.name}. Saya memesan ${order.number} di Behambinan.`;
  return el("a", { class: "button secondary", href: `${order.store.whatsapp_url}?text=${encodeURIComponent(text)}`,
                   rel: "noopener", target: "_blank" }, "Chat penjual di WhatsApp");
}

function paymentInfo(order) {
  const p = order.payment;
  if (!p || order.payment_method !== "bank_transfer" || order.status !== "awaiting_payment") return null;
  const i = p.instructions || {};
  return el("div", { class: "notice" },
    el("p", {}, "Transfer tepat ", el("strong", {}, rupiah(p.amount)), " (tiga digit terakhir menandai pesanan Anda)"),
    el("p", {}, `ke ${i.bank || ""} nomor rekening ${i.account_number || ""} a.n. ${i.account_name || ""}`),
    p.due_at ? el("p", {}, `sebelum ${wita(p.due_at)}. Lewat dari itu pesanan batal otomatis.`) : null);
}

function storeInfo(order) {
  const s = order.store;
  return el("div", { class: "box" },
    el("p", {}, el("strong", {}, s.name), ` · ${s.kelurahan}, ${s.kecamatan}`),
    s.address ? el("p", {}, `Alamat: ${s.address}`) : null,
    s.opening_hours ? el("p", {}, `Jam buka: ${s.opening_hours}`) : null,
    s.whatsapp_url ? el("p", { class: "actions" }, whatsapp(order)) : null);
}

async function act(pair, status) {
  try {
    await api("POST", `/orders/${pair.id}/status`, { body: { status }, headers: { "X-Order-Token": pair.token } });
    announce(status === "cancelled" ? "Pesanan dibatalkan." : "Terima kasih, pesanan selesai.");
  } catch (error) {
    announce(error.message);
  }
  show();
}

function orderView(order, pair) {
  const actions = [];
  if (pair && order.status === "awaiting_payment") actions.push(el("button", { type: "button", class: "secondary", onclick: () => act(pair, "cancelled") }, "Batalkan pesanan"));
  if (pair && order.status === "delivered") actions.push(el("button", { type: "button", onclick: () => act(pair, "completed") }, "Pesanan sudah saya terima"));
  return el("article", { class: "order", "aria-labelledby": `order-${order.id}` },
    el("h2", { id: `order-${order.id}` }, order.number),
    el("p", {}, el("span", { class: "status" }, STATUS[order.status] || order.status)),
    el("p", {}, `${DELIVERY[order.delivery_method] || order.delivery_method} · ${PAYMENT[order.payment_method] || order.payment_method}`),
    el("ul", {}, ...order.lines.map((l) => el("li", {}, `${l.product_name} (${l.variant_name}) × ${l.quantity} = ${rupiah(l.total)}`))),
    el("table", { class: "totals" }, el("tbody", {},
      el("tr", {}, el("th", { scope: "row" }, "Ongkir"), el("td", {}, rupiah(order.delivery_fee))),
      el("tr", { class: "grand" }, el("th", { scope: "row" }, "Total"), el("td", {}, rupiah(order.total))))),
    paymentInfo(order),
    storeInfo(order),
    el("h3", {}, "Riwayat"),
    el("ol", { class: "history" }, ...order.history.map((h) => el("li", {}, `${STATUS[h.to] || h.to} · ${wita(h.at)}`))),
    actions.length ? el("p", { class: "actions" }, ...actions) : null);
}

async function show() {
  const found = pairs();
  if (!found.length) { list.replaceChildren(); return; }
  const answers = await Promise.allSettled(found.map((p) => api("GET", `/orders/${p.id}`, { headers: { "X-Order-Token": p.token } })));
  list.replaceChildren(...answers.map((a, i) => (a.status === "fulfilled" ? orderView(a.value, found[i])
    : el("p", { class: "error" }, a.reason.status === 404 ? "Pesanan ini tidak ditemukan: tautannya mungkin terpotong." : a.reason.message))));
  $("#track-link").hidden = false;
}

$("#copy-link").addEventListener("click", async () => {
  try { await navigator.clipboard.writeText(location.href); announce("Tautan pelacakan disalin."); }
  catch (error) { announce("Salin alamat di kolom alamat peramban untuk melacak pesanan nanti."); }
});

$("#lookup").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = $("#lookup-error");
  error.hidden = true;
  try {
    const order = await api("POST", "/orders/lookup", { body: { number: $("#number").value.trim(), phone: $("#lookup-phone").value.trim() } });
    list.replaceChildren(orderView(order, null));
    list.querySelector("h2").focus?.();
  } catch (problem) {
    error.textContent = problem.status === 429 ? "Terlalu banyak percobaan. Coba lagi beberapa menit lagi." : problem.message;
    error.hidden = false;
  }
});

if (sessionStorage.getItem("behambinan.baru")) {
  sessionStorage.removeItem("behambinan.baru");
  note.hidden = false;
}
window.addEventListener("hashchange", show);
show();
