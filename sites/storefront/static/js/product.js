// A product page: live availability of the chosen variant, and adding it to the cart.
import { api } from "./api.js";
import { add } from "./cart.js";
import { $, announce, rupiah } from "./ui.js";

const page = $("[data-product-id]");
const form = $("#buy");
const stock = $("#stock");
const quantity = $("#qty");
const price = $("#price");
let available = {};

function chosen() {
  return form.querySelector('input[name="variant"]:checked');
}

function show() {
  const variant = chosen();
  if (!variant) return;
  price.textContent = rupiah(Number(variant.dataset.price));
  const units = available[variant.value];
  const submit = form.querySelector('button[type="submit"]');
  if (units === undefined) {
    stock.textContent = "Stok belum bisa diperiksa; Anda tetap bisa menambahkannya ke keranjang.";
    stock.classList.remove("out");
    submit.disabled = false;
    return;
  }
  stock.textContent = units > 0 ? `Tersedia ${units}` : "Habis";
  stock.classList.toggle("out", units === 0);
  quantity.max = String(Math.max(units, 1));
  submit.disabled = units === 0;
}

async function refresh() {
  try {
    const product = await api("GET", `/products/${page.dataset.productId}`);
    available = Object.fromEntries(product.variants.map((v) => [String(v.id), v.available]));
    // The page may be a minute older than the price: the live one wins.
    for (const v of product.variants) {
      const radio = form.querySelector(`input[name="variant"][value="${v.id}"]`);
      if (radio) radio.dataset.price = String(v.price);
    }
  } catch (error) {
    available = {};
  }
  show();
}

form.addEventListener("change", show);
for (const button of form.querySelectorAll("[data-step]")) {
  button.addEventListener("click", () => {
    const next = Math.max(1, (Number(quantity.value) || 1) + Number(button.dataset.step));
    quantity.value = String(Math.min(next, Number(quantity.max) || next));
  });
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const variant = chosen();
  const wanted = Math.max(1, Math.floor(Number(quantity.value) || 1));
  const units = available[variant.value];
  if (units !== undefined && wanted > units) {
    announce(`Hanya tersedia ${units}.`);
    quantity.value = String(Math.max(units, 1));
    return;
  }
  const added = add({
    variant_id: Number(variant.value), product_id: Number(page.dataset.productId), product_slug: page.dataset.productSlug,
    store_id: Number(page.dataset.storeId), store_name: page.dataset.storeName, name: page.dataset.productName,
    variant_name: variant.dataset.name, price: Number(variant.dataset.price), image: page.dataset.image || "",
  }, wanted);
  $("#added").hidden = !added;
  announce(added ? `${wanted} ${page.dataset.productName} masuk keranjang.` : "Keranjang sudah penuh (50 barang berbeda).");
});

refresh();
