// Produk: the store's products (shown and hidden), found by name or SKU, filtered, with the
// stock of each variant edited right in the list and a product hidden or shown in one tap.
import { api, BASE } from "./api.js";
import { requireSession } from "./session.js";
import { $, announce, el, rupiah } from "./ui.js";

const { store } = await requireSession();
const list = $("#products");
const more = $("#more");
let show = "all";
let cursor = null;

function stockEditor(product, variant) {
  const input = el("input", { type: "number", min: "0", inputmode: "numeric", value: String(variant.stock),
                              id: `stock-${variant.id}`, "aria-label": `Stok ${product.name} ${variant.name}` });
  const save = el("button", { type: "button", class: "secondary small", onclick: async () => {
    try {
      const answer = await api("PUT", `/stores/${store.id}/variants/${variant.id}/stock`, { body: { quantity: Math.max(0, Math.floor(Number(input.value) || 0)) } });
      input.value = String(answer.quantity);
      announce(`Stok ${product.name} ${variant.name}: ${answer.quantity}.`);
    } catch (error) { announce(error.message); }
  } }, "Simpan");
  return el("li", { class: "variant-row" },
    el("label", { for: input.id }, `${variant.name} · ${rupiah(variant.price)}`, variant.stock === 0 ? el("span", { class: "badge warn" }, "habis") : null),
    el("span", { class: "qty" }, input, save));
}

function card(product) {
  const hidden = product.status === "hidden";
  const toggle = el("button", { type: "button", class: "secondary small", onclick: async () => {
    try {
      const answer = await api("PATCH", `/stores/${store.id}/products/${product.id}`, { body: { status: hidden ? "active" : "hidden" } });
      announce(answer.status === "hidden" ? `${product.name} disembunyikan dari etalase.` : `${product.name} tampil lagi di etalase.`);
      reload();
    } catch (error) { announce(error.message); }
  } }, hidden ? "Tampilkan" : "Sembunyikan");
  const picture = product.images[0]
    ? el("img", { src: product.images[0].sizes[0].url, alt: "", width: "64", height: "48", loading: "lazy" })
    : el("span", { class: "thumb-empty", "aria-hidden": "true" });
  return el("li", { class: "card product-card" },
    el("div", { class: "head" }, picture,
      el("span", {}, el("a", { class: "title", href: `${BASE}produk/ubah/?id=${product.id}` }, product.name),
        hidden ? el("span", { class: "badge" }, "disembunyikan") : null)),
    el("ul", { class: "variants" }, ...product.variants.map((v) => stockEditor(product, v))),
    el("p", { class: "actions" }, el("a", { class: "button secondary small", href: `${BASE}produk/ubah/?id=${product.id}` }, "Ubah"), toggle));
}

async function load(reset) {
  if (reset) { cursor = null; list.replaceChildren(); }
  more.disabled = true;
  const params = new URLSearchParams({ show, limit: "30", ...(cursor ? { cursor } : {}), ...($("#q").value.trim() ? { q: $("#q").value.trim() } : {}) });
  try {
    const page = await api("GET", `/stores/${store.id}/products?${params}`);
    list.append(...page.items.map(card));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    $("#list-note").textContent = list.children.length ? "" : "Belum ada produk di sini.";
  } catch (error) {
    $("#list-note").textContent = error.message;
  } finally {
    more.disabled = false;
  }
}

const reload = () => load(true);
for (const link of document.querySelectorAll("[data-show]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    show = link.dataset.show;
    for (const other of document.querySelectorAll("[data-show]")) other.toggleAttribute("aria-current", other === link);
    reload();
  });
}
$("#find").addEventListener("submit", (event) => { event.preventDefault(); reload(); });
more.addEventListener("click", () => load(false));
reload();
