// Add or edit a product: name, category, description, variants with price and stock, and
// pictures from the phone's camera, made smaller in the browser before they are sent.
import { api, BASE } from "./api.js";
import { clearErrors, showErrors } from "./forms.js";
import { reference } from "./reference.js";
import { requireSession } from "./session.js";
import { $, announce, el } from "./ui.js";

const MAX_SIDE = 1600;  // the largest rendition the server keeps is narrower: more is wasted data
const { store } = await requireSession();
const form = $("#product");
let productId = new URLSearchParams(location.search).get("id");
let product = null;

function variantRow(variant = { name: "", sku: "", price: "", stock: 0 }, index) {
  const field = (name, label, attrs) => {
    const id = `v${index}-${name}`;
    return el("span", { class: "field" }, el("label", { for: id }, label),
      el("input", { id, value: String(variant[name] ?? ""), "data-field": `variants.${index}.${name}`, "data-key": name, ...attrs }));
  };
  return el("div", { class: "variant", "data-id": variant.id ? String(variant.id) : null },
    field("name", "Varian", { maxlength: "120", placeholder: "mis. 250 g" }),
    field("sku", "SKU (kode barang)", { maxlength: "64", required: true }),
    field("price", "Harga (Rp)", { type: "number", min: "1", inputmode: "numeric", required: true }),
    field("stock", "Stok", { type: "number", min: "0", inputmode: "numeric" }));
}

function variants() {
  return [...$("#variants").children].map((row) => ({
    id: row.dataset.id ? Number(row.dataset.id) : null,
    ...Object.fromEntries([...row.querySelectorAll("input")].map((i) => [i.dataset.key, i.value.trim()])),
  }));
}

function thumbs() {
  $("#thumbs").replaceChildren(...(product ? product.images : []).map((image) => el("li", {},
    el("img", { src: image.sizes[0].url, alt: image.alt, width: "120", height: "90" }),
    el("button", { type: "button", class: "secondary small", onclick: () => removePicture(image) }, "Hapus foto"))));
  $("#pictures").hidden = !product;
}

async function removePicture(image) {
  try {
    await api("DELETE", `/stores/${store.id}/products/${product.id}/images/${image.id}`);
    product.images = product.images.filter((i) => i.id !== image.id);
    thumbs();
    announce("Foto dihapus.");
  } catch (error) { announce(error.message); }
}

// The camera's 12-megapixel JPEG becomes a WebP of at most 1600 px before it is uploaded.
async function smaller(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/webp", 0.85));
  return blob && blob.size < file.size ? new File([blob], "foto.webp", { type: "image/webp" }) : file;
}

$("#picture").addEventListener("change", async () => {
  const file = $("#picture").files[0];
  if (!file) return;
  const note = $("#picture-note");
  note.textContent = "Mengirim foto…";
  try {
    const upload = new FormData();
    upload.append("file", await smaller(file));
    upload.append("alt", product.name);
    const image = await api("POST", `/stores/${store.id}/products/${product.id}/images`, { form: upload });
    product.images.push(image);
    thumbs();
    note.textContent = "Foto tersimpan.";
  } catch (error) {
    note.textContent = error.message;
  } finally {
    $("#picture").value = "";
  }
});

$("#add-variant").addEventListener("click", () => {
  $("#variants").append(variantRow(undefined, $("#variants").children.length));
  $("#variants").lastElementChild.querySelector("input").focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const save = $("#save");
  save.disabled = true;
  const fields = { name: $("#name").value.trim(), category: $("#category").value, description: $("#description").value.trim() };
  const rows = variants();
  const number = (v) => (v === "" ? NaN : Number(v));
  try {
    if (!product) {
      product = await api("POST", `/stores/${store.id}/products`, { body: { ...fields, variants: rows.map((v) => ({
        sku: v.sku, name: v.name, price: number(v.price), stock: number(v.stock) || 0 })) } });
      productId = String(product.id);
      history.replaceState(null, "", `${BASE}produk/ubah/?id=${product.id}`);
    } else {
      product = await api("PATCH", `/stores/${store.id}/products/${product.id}`, { body: fields });
      for (const [index, v] of rows.entries()) {
        if (v.id) {
          await api("PATCH", `/stores/${store.id}/variants/${v.id}`, { body: { sku: v.sku, name: v.name, price: number(v.price) } });
          await api("PUT", `/stores/${store.id}/variants/${v.id}/stock`, { body: { quantity: number(v.stock) || 0 } });
        } else {
          try {
            await api("POST", `/stores/${store.id}/products/${product.id}/variants`, { body: { sku: v.sku, name: v.name, price: number(v.price), stock: number(v.stock) || 0 } });
          } catch (error) {  // the new row's errors are named for the row
            error.problem.errors = (error.problem.errors || []).map((e) => ({ ...e, field: `variants.${index}.${e.field}` }));
            throw error;
          }
        }
      }
      product = await api("GET", `/stores/${store.id}/products/${product.id}`);
    }
    fill();
    announce("Produk tersimpan.");
  } catch (error) {
    showErrors(form, error);
  } finally {
    save.disabled = false;
  }
});

function fill() {
  $("#form-title").textContent = product ? `Ubah ${product.name}` : "Tambah produk";
  if (product) {
    $("#name").value = product.name;
    $("#category").value = product.category;
    $("#description").value = product.description;
    $("#variants").replaceChildren(...product.variants.map((v, i) => variantRow(v, i)));
  }
  thumbs();
}

const data = await reference();
$("#category").replaceChildren(el("option", { value: "" }, "Pilih kategori"), ...data.categories.map((c) => el("option", { value: c.slug }, c.name)));
$("#variants").append(variantRow(undefined, 0));
if (productId) {
  try {
    product = await api("GET", `/stores/${store.id}/products/${productId}`);
  } catch (error) {
    $("#form-error").textContent = error.status === 404 ? "Produk ini tidak ada di toko Anda." : error.message;
    $("#form-error").hidden = false;
  }
}
fill();
