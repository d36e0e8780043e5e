// The cart page: lines grouped by store, with today's price and stock from the API, and a
// one-tap fix for a line that asks more than is left.
import { api } from "./api.js";
import { byStore, load, save, setQuantity } from "./cart.js";
import { $, announce, el, rupiah } from "./ui.js";

const root = $("#cart");
const empty = $("#cart-empty");
const summary = $("#cart-summary");
let live = {}; // variant id -> {price, available}

async function refreshLive() {
  const cart = load();
  const products = [...new Set(cart.lines.map((l) => l.product_id))];
  const answers = await Promise.allSettled(products.map((id) => api("GET", `/products/${id}`)));
  live = {};
  answers.forEach((answer, i) => {
    if (answer.status === "fulfilled") {
      for (const v of answer.value.variants) live[v.id] = { price: v.price, available: v.available };
    } else if (answer.reason.status === 404) {
      // no longer for sale: every variant of that product is gone
      for (const l of cart.lines.filter((x) => x.product_id === products[i])) live[l.variant_id] = { price: l.price, available: 0, gone: true };
    }
  });
  // Today's price is the one that will be charged; the cart shows it.
  for (const line of cart.lines) if (live[line.variant_id] && !live[line.variant_id].gone) line.price = live[line.variant_id].price;
  save(cart);
}

function quantityControl(line) {
  const input = el("input", { type: "number", min: "1", inputmode: "numeric", value: String(line.quantity),
                              id: `qty-${line.variant_id}`, "aria-label": `Jumlah ${line.name} ${line.variant_name}` });
  input.addEventListener("change", () => { setQuantity(line.variant_id, Math.max(1, Math.floor(Number(input.value) || 1))); render(); });
  const step = (delta, label, text) => el("button", { type: "button", class: "secondary", "aria-label": label,
    onclick: () => { setQuantity(line.variant_id, Math.max(1, line.quantity + delta)); render(); } }, text);
  return el("span", { class: "qty" }, step(-1, `Kurangi ${line.name}`, "−"), input, step(1, `Tambah ${line.name}`, "+"));
}

function lineView(line) {
  const info = live[line.variant_id];
  const short = info && line.quantity > info.available;
  const warning = !short ? null : info.available === 0
    ? el("p", { class: "error" }, info.gone ? "Produk ini tidak dijual lagi." : "Stok habis.")
    : el("p", { class: "error" }, `Tinggal ${info.available}. `,
         el("button", { type: "button", class: "secondary", onclick: () => { setQuantity(line.variant_id, info.available); render(); announce(`Jumlah diubah jadi ${info.available}.`); } },
            `Ubah jadi ${info.available}`));
  return el("li", { class: "line" },
    el("span", {}, el("a", { class: "what", href: `/produk/${encodeURIComponent(line.product_slug)}/` }, line.name),
       el("span", { class: "sub" }, ` ${line.variant_name} · ${rupiah(line.price)}`)),
    el("strong", {}, rupiah(line.price * line.quantity)),
    el("span", { class: "controls" }, quantityControl(line),
       el("button", { type: "button", class: "secondary", onclick: () => { setQuantity(line.variant_id, 0); render(); announce(`${line.name} dihapus.`); } },
          "Hapus")),
    warning);
}

function render() {
  const cart = load();
  root.replaceChildren(...byStore(cart).map((group) => el("section", { class: "store-group", "aria-label": group.store_name },
    el("h2", {}, group.store_name),
    el("ul", { class: "lines" }, ...group.lines.map(lineView)),
    el("p", {}, "Subtotal: ", el("strong", {}, rupiah(group.lines.reduce((n, l) => n + l.price * l.quantity, 0)))))));
  const total = cart.lines.reduce((n, l) => n + l.price * l.quantity, 0);
  const blocked = cart.lines.some((l) => live[l.variant_id] && l.quantity > live[l.variant_id].available);
  empty.hidden = cart.lines.length > 0;
  summary.hidden = cart.lines.length === 0;
  $("#cart-total").textContent = rupiah(total);
  $("#to-checkout").toggleAttribute("aria-disabled", blocked);
  $("#to-checkout").classList.toggle("secondary", blocked);
  $("#cart-blocked").hidden = !blocked;
}

$("#to-checkout").addEventListener("click", (event) => {
  if (event.currentTarget.hasAttribute("aria-disabled")) {
    event.preventDefault();
    announce("Perbaiki jumlah barang yang stoknya kurang dulu.");
  }
});
render();
refreshLive().then(render, render);
