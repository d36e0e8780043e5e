// One order: who bought, where it goes, how it is paid, its history; exactly the actions its
// state allows; and a packing slip to print.
import { api, BASE } from "./api.js";
import { showErrors } from "./forms.js";
import { requireSession } from "./session.js";
import { $, DELIVERY, PAYMENT, STATUS, announce, el, rupiah, wita } from "./ui.js";

const ACTIONS = {  // status -> what the button says
  processing: "Proses pesanan",
  shipped: "Kirim pesanan",
  ready_for_pickup: "Siap diambil pembeli",
  delivered: "Sudah diterima pembeli",
  completed: "Selesaikan",
};
const { store } = await requireSession();
const id = new URLSearchParams(location.search).get("id");
const box = $("#order");
const problem = $("#action-error");
let order = null;

function whatsapp(o) {
  const digits = (o.buyer.phone || "").replace(/\D/g, "");
  const text = `Halo ${o.buyer.name}, ini ${o.store.name} tentang pesanan ${o.number} di Behambinan.`;
  return el("a", { class: "button secondary", href: `https://wa.me/${digits}?text=${encodeURIComponent(text)}`, target: "_blank", rel: "noopener" },
    "WhatsApp pembeli");
}

function render() {
  const o = order;
  const address = o.shipping_address;
  box.replaceChildren(
    el("h1", {}, o.number),
    el("p", {}, el("span", { class: "status" }, STATUS[o.status] || o.status), " ", wita(o.created_at)),
    el("section", { class: "box" },
      el("h2", {}, "Pembeli"),
      el("p", {}, o.buyer.name, " · ", el("a", { href: `tel:${o.buyer.phone}` }, o.buyer.phone), " · ", o.buyer.email),
      el("p", { class: "no-print" }, whatsapp(o)),
      el("p", {}, el("strong", {}, DELIVERY[o.delivery_method]),
        address ? `: ${address.street}, ${address.kelurahan}, ${address.kecamatan}` : " (pembeli datang ke toko)")),
    el("section", {},
      el("h2", {}, "Barang"),
      el("table", { class: "totals" }, el("tbody", {},
        ...o.lines.map((l) => el("tr", {}, el("th", { scope: "row" }, `${l.product_name} (${l.variant_name}) × ${l.quantity}`), el("td", {}, rupiah(l.total)))),
        el("tr", {}, el("th", { scope: "row" }, "Ongkir"), el("td", {}, rupiah(o.delivery_fee))),
        el("tr", { class: "grand" }, el("th", { scope: "row" }, "Total"), el("td", {}, rupiah(o.total)))))),
    el("p", {}, `Pembayaran: ${PAYMENT[o.payment_method] || o.payment_method}, `,
      el("strong", {}, o.payment_status === "paid" ? "lunas" : "belum dibayar"),
      o.payment && o.payment_method === "bank_transfer" && o.payment_status !== "paid" ? ` (tunggu transfer tepat ${rupiah(o.payment.amount)})` : ""),
    el("section", { class: "no-print" }, el("h2", {}, "Riwayat"),
      el("ol", {}, ...o.history.map((h) => el("li", {}, `${STATUS[h.to] || h.to} · ${wita(h.at)}${h.note ? ` · ${h.note}` : ""}`)))));
  const buttons = [];
  if (o.seller_actions.record_payment) {
    buttons.push(el("button", { type: "button", onclick: () => act("POST", "payment", {}) },
      o.payment_method === "cod" ? "Uang COD sudah diterima" : "Transfer sudah masuk"));
  }
  for (const status of o.seller_actions.statuses) {
    if (status === "cancelled") continue;
    if (ACTIONS[status]) buttons.push(el("button", { type: "button", onclick: () => act("POST", "status", { status }) }, ACTIONS[status]));
  }
  if (o.seller_actions.statuses.includes("cancelled")) {
    buttons.push(el("button", { type: "button", class: "secondary", onclick: () => { $("#cancel").hidden = false; $("#reason").focus(); } }, "Batalkan…"));
  }
  buttons.push(el("button", { type: "button", class: "secondary", onclick: () => window.print() }, "Cetak slip kemas"));
  $("#actions").replaceChildren(el("p", { class: "actions" }, ...buttons));
}

async function act(method, what, body) {
  problem.hidden = true;
  try {
    order = await api(method, `/stores/${store.id}/orders/${id}/${what}`, { body });
    render();
    announce(`Pesanan ${order.number}: ${STATUS[order.status]}.`);
    return true;
  } catch (error) {
    problem.textContent = error.message;
    problem.hidden = false;
    return false;
  }
}

$("#cancel").addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = $("#reason").value.trim();
  if (!reason) { showErrors($("#cancel"), { problem: { errors: [{ field: "note", message: "Tulis alasannya untuk pembeli." }] } }); return; }
  if (await act("POST", "status", { status: "cancelled", note: reason })) $("#cancel").hidden = true;
});
$("#cancel-no").addEventListener("click", () => { $("#cancel").hidden = true; });

try {
  order = await api("GET", `/stores/${store.id}/orders/${id}`);
  document.title = `${order.number} · Dasbor penjual Behambinan`;
  render();
} catch (error) {
  box.replaceChildren(el("p", { class: "error" }, error.status === 404 ? "Pesanan ini tidak ada di toko Anda." : error.message),
    el("p", {}, el("a", { href: `${BASE}pesanan/` }, "Ke daftar pesanan")));
}
