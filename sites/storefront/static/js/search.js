// The search page: the API ranks the catalogue (GET /products?q=), 24 at a time; nothing of
// the catalogue is downloaded beyond the results.
import { api } from "./api.js";
import { $, el, rupiah } from "./ui.js";

const params = new URLSearchParams(location.search);
const q = (params.get("q") || "").trim();
const list = $("#results");
const more = $("#more");
const status = $("#search-status");
let cursor = null;

function card(product) {
  const image = product.image;
  const picture = image
    ? el("img", { src: image.sizes[0].url, srcset: image.sizes.map((s) => `${s.url} ${s.width}w`).join(", "),
                  sizes: "(min-width: 64rem) 18rem, (min-width: 40rem) 33vw, 50vw", alt: image.alt || product.name,
                  width: image.width, height: image.height, loading: "lazy", decoding: "async" })
    : el("span", { class: "noimg" }, "Tanpa foto");
  return el("li", { class: "card" }, el("a", { href: `/produk/${encodeURIComponent(product.slug)}/` }, picture,
    el("span", { class: "body" },
      el("span", { class: "name" }, product.name),
      el("span", { class: "store" }, `${product.store.name} · ${product.store.kecamatan}`),
      el("span", { class: "price" }, product.price_display || rupiah(product.price_from)),
      product.in_stock ? null : el("span", { class: "store" }, "Stok habis"))));
}

async function load() {
  more.disabled = true;
  try {
    const page = await api("GET", `/products?${new URLSearchParams({ q, limit: "24", ...(cursor ? { cursor } : {}) })}`);
    list.append(...page.items.map(card));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    status.textContent = list.children.length ? `Hasil untuk “${q}”` : `Tidak ada produk yang cocok dengan “${q}”. Coba kata lain, misalnya “amplang” atau “tenun”.`;
  } catch (error) {
    status.textContent = error.message;
  } finally {
    more.disabled = false;
  }
}

$("#q-page").value = q;
if (q) load();
else status.textContent = "Ketik nama produk, misalnya amplang, sarung tenun atau madu.";
more.addEventListener("click", load);
